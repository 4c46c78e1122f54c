package io.mxcutover.sync.testing;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.run.SyncService;
import io.mxcutover.sync.run.SyncSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.sql.DataSource;

/** Builds SyncServices against the Dovecot pair with a fresh SQLite state per test. */
public final class SyncFixture {
    public static final SecretBox KEY = SecretBox.ofBase64(Base64.getEncoder().encodeToString(new byte[32]));

    private SyncFixture() {}

    public static SyncSettings settings(DovecotPair.Servers s) {
        ImapSettings imap = ImapSettings.defaults();
        return SyncSettings.of(
                        ImapEndpoint.of(s.legacy().uri()),
                        ImapEndpoint.of(s.target().uri()))
                .withImap(new ImapSettings(
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(60),
                        50,
                        4L << 20,
                        2L << 20,
                        256 * 1024,
                        1000,
                        true,
                        imap.tempDir()))
                .withInterval(Duration.ofSeconds(60), true);
    }

    public static SyncService service(DovecotPair.Servers s, Path stateDir, FaultInjector faults) {
        return service(settings(s), stateDir, faults);
    }

    public static SyncService service(SyncSettings settings, Path stateDir, FaultInjector faults) {
        return service(settings, stateDir, faults, Clock.systemUTC());
    }

    public static SyncService service(SyncSettings settings, Path stateDir, FaultInjector faults, Clock clock) {
        DataSource ds = TestState.open(stateDir.resolve("sync.db"));
        return new SyncService(ds, KEY, settings, clock, faults);
    }

    public static MailboxAccount account(String login) {
        return new MailboxAccount(
                login + "@example.test", Login.password(login, login + "-pw"), Login.password(login, login + "-pw"));
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] message(String headers, String body) {
        return (headers.replace("\n", "\r\n") + "\r\n\r\n" + body.replace("\n", "\r\n"))
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
