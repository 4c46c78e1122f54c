package io.mxcutover.appliance.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.appliance.store.Store;
import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.state.SyncStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealed-credential key missing, wrong or damaged: a clear error, and nothing overwritten. */
class CredentialKeyTest {
    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

    Store storeWithOneMailbox(Path key) throws Exception {
        Store store = Store.open(dir.resolve("state/mx.db"));
        SecretBox box = CredentialKey.open(key, store.dataSource(), clock);
        new SyncStore(store.dataSource(), clock)
                .saveMailboxes(
                        List.of(new MailboxAccount(
                                "erik@example.org",
                                Login.password("erik", "legacy-secret-1"),
                                Login.password("erik", "new-secret-2"))),
                        box);
        return store;
    }

    static List<String> sealedValues(Store store) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT source_secret, target_secret FROM sync_mailbox ORDER BY address")) {
            while (r.next()) {
                out.add(r.getString(1));
                out.add(r.getString(2));
            }
        }
        return out;
    }

    @Test
    void missingKeyShouldBeMadeOnFirstStartButRefusedOnceCredentialsAreStored() throws Exception {
        Path key = dir.resolve("state/sync.key");
        Store store = storeWithOneMailbox(key);
        assertThat(key).exists();
        List<String> before = sealedValues(store);

        Files.delete(key); // lost in a migration of the appliance's disk, say
        assertThatThrownBy(() -> CredentialKey.open(key, store.dataSource(), clock))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("sync.keyFile " + key + " is missing")
                .hasMessageContaining("sealed passwords of 1 mailbox")
                .hasMessageContaining("Restore the key file")
                .hasMessageContaining("Nothing was changed");
        assertThat(key).as("no new key made").doesNotExist();
        assertThat(sealedValues(store)).isEqualTo(before);
    }

    @Test
    void wrongKeyShouldFailTheMailboxClearlyAndLeaveRowAndKeyFileAsTheyWere() throws Exception {
        Path key = dir.resolve("state/sync.key");
        Store store = storeWithOneMailbox(key);
        List<String> before = sealedValues(store);
        Path other = dir.resolve("other.key");
        SecretBox wrong = SecretBox.fromKeyFile(other); // another appliance's key, say
        String otherKey = Files.readString(other);

        assertThatThrownBy(() -> new SyncStore(store.dataSource(), clock).account("erik@example.org", wrong))
                .hasMessageContaining("cannot decrypt the stored credential for erik@example.org/source")
                .hasMessageContaining("wrong key")
                .hasMessageNotContaining("legacy-secret-1");
        assertThat(sealedValues(store)).isEqualTo(before);
        assertThat(Files.readString(other)).isEqualTo(otherKey);
        SecretBox right = CredentialKey.open(key, store.dataSource(), clock);
        assertThat(new SyncStore(store.dataSource(), clock)
                        .account("erik@example.org", right)
                        .orElseThrow()
                        .source()
                        .secret()
                        .reveal())
                .isEqualTo("legacy-secret-1");
    }

    @Test
    void damagedKeyFileShouldBeReportedAndNotReplaced() throws Exception {
        Path key = dir.resolve("state/sync.key");
        Store store = storeWithOneMailbox(key);
        Files.writeString(key, "not a key\n");
        assertThatThrownBy(() -> CredentialKey.open(key, store.dataSource(), clock))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("file " + key + ") is unusable")
                .hasMessageContaining("not valid Base64 of 32 bytes")
                .hasMessageContaining("It was not replaced");
        assertThat(Files.readString(key)).isEqualTo("not a key\n");
    }
}
