package io.mxcutover.appliance.sync;

import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.state.SyncStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The key that seals the mailboxes' passwords in the store ({@code sync.keyFile}, or
 * {@value SecretBox#ENV}). On the first start there is none and a new one is made. Once the store holds
 * sealed passwords, a missing key file is an error, not a reason to make a new key: a new key would
 * leave every stored password unreadable and the next import sealed with a different key than the
 * rest. The appliance then refuses to start and changes nothing (no key file written, no row touched).
 * A wrong key is found when a password is opened: that mailbox fails with "wrong key", its row stays.
 */
public final class CredentialKey {
    private CredentialKey() {}

    public static SecretBox open(Path keyFile, DataSource dataSource, Clock clock) throws IOException {
        String env = System.getenv(SecretBox.ENV);
        if ((env == null || env.isBlank()) && !Files.exists(keyFile)) {
            int sealed = new SyncStore(dataSource, clock).mailboxes().size();
            if (sealed > 0) {
                throw new IOException("sync.keyFile " + keyFile + " is missing, but the store holds the sealed"
                        + " passwords of " + sealed + " mailbox(es). Restore the key file from your backup (or set "
                        + SecretBox.ENV + "); a new key would make every stored password unreadable. Nothing was"
                        + " changed");
            }
        }
        try {
            return SecretBox.fromEnvOrFile(keyFile);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "the sync credential key (" + (env == null || env.isBlank() ? "file " + keyFile : SecretBox.ENV)
                            + ") is unusable: " + e.getMessage() + ". It was not replaced",
                    e);
        }
    }
}
