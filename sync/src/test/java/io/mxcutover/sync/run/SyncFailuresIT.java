package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.state.Failure;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.Maildir;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.RawImapClient.Fetched;
import io.mxcutover.sync.testing.SyncFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(DovecotPair.class)
class SyncFailuresIT {
    @Test
    void wrongPasswordShouldFailThatMailboxWithReasonWhileOthersComplete(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String good = servers.newUser("good");
        String bad = servers.newUser("bad");
        for (String u : List.of(good, bad)) {
            try (RawImapClient c =
                    new RawImapClient(servers.legacy().host(), servers.legacy().port(), u, u + "-pw")) {
                c.append("INBOX", null, null, SyncFixture.message("Subject: hi " + u, "x\n"));
            }
        }
        try (SyncService service = SyncFixture.service(servers, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(
                    SyncFixture.account(good),
                    new MailboxAccount(
                            bad + "@example.test",
                            Login.password(bad, "wrong-secret-42"),
                            Login.password(bad, bad + "-pw"))));
            List<MailboxResult> results = service.syncAll();
            MailboxResult badResult = results.stream()
                    .filter(r -> r.address().startsWith(bad))
                    .findFirst()
                    .orElseThrow();
            MailboxResult goodResult = results.stream()
                    .filter(r -> r.address().startsWith(good))
                    .findFirst()
                    .orElseThrow();
            assertThat(goodResult.phase()).isEqualTo(MailboxStatus.Phase.SYNCED);
            assertThat(goodResult.copied()).isEqualTo(1);
            assertThat(badResult.phase()).isEqualTo(MailboxStatus.Phase.FAILED);
            assertThat(badResult.reason())
                    .contains("login refused", bad, "source server")
                    .doesNotContain("wrong-secret-42");
            assertThat(service.store()
                            .mailbox(bad + "@example.test")
                            .orElseThrow()
                            .reason()
                            .orElseThrow())
                    .contains("login refused");
        }
    }

    @Test
    void targetRefusalShouldBeRecordedPerMessageWhileTheRestIsCopied(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("refuse");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.append("INBOX", null, null, SyncFixture.message("Subject: before", "x\n"));
        }
        // An empty message file (it happens on old stores): Dovecot serves it, but refuses to APPEND it.
        Path inbox = Maildir.folder(servers.legacy().real().mailRoot(), user, "INBOX");
        Maildir.write(inbox, new byte[0], "S", Instant.parse("2010-01-01T00:00:00Z"));
        Maildir.touch(inbox);
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.append("INBOX", null, null, SyncFixture.message("Subject: after", "y\n"));
        }
        try (SyncService service = SyncFixture.service(servers, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            MailboxResult r = service.syncOnce(user + "@example.test");
            assertThat(r.phase()).isEqualTo(MailboxStatus.Phase.INCOMPLETE);
            assertThat(r.copied()).isEqualTo(2);
            assertThat(r.failedMessages()).isEqualTo(1);
            List<Failure> failures = service.store().failures(user + "@example.test");
            assertThat(failures).singleElement().satisfies(f -> {
                assertThat(f.scope()).isEqualTo("MESSAGE");
                assertThat(f.reason()).containsIgnoringCase("zero byte");
                assertThat(f.nextAttemptAt()).isAfter(f.lastFailedAt());
            });
            // Retried later with backoff, not hammered: the next pass does not try again before nextAttemptAt.
            MailboxResult again = service.syncOnce(user + "@example.test");
            assertThat(again.copied()).isZero();
            assertThat(service.store().failures(user + "@example.test"))
                    .singleElement()
                    .extracting(Failure::attempts)
                    .isEqualTo(1);
            assertThat(service.verify(user + "@example.test").missing())
                    .singleElement()
                    .satisfies(m -> assertThat(m.why()).containsIgnoringCase("zero byte"));
        }
    }

    @Test
    void uidValidityChangeShouldRescanByIdentityWithoutDuplicates(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("uidv");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            for (int i = 0; i < 5; i++) {
                c.append(
                        "INBOX",
                        null,
                        "01-Jan-2019 00:00:00 +0000",
                        SyncFixture.message("Subject: m" + i + "\nMessage-ID: <u" + i + "@x>", "b\n"));
            }
        }
        try (SyncService service = SyncFixture.service(servers, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            assertThat(service.syncOnce(user + "@example.test").copied()).isEqualTo(5);
            // The user deletes one on the new server; then legacy loses its UID list (UIDVALIDITY changes).
            try (RawImapClient c =
                    new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
                c.command("SELECT INBOX");
                c.command("UID STORE 2 +FLAGS.SILENT (\\Deleted)");
                c.command("EXPUNGE");
            }
            String before = status(servers, user);
            Path root = servers.legacy().real().mailRoot().resolve(user).resolve("Maildir");
            try (Stream<Path> files = Files.list(root)) {
                for (Path p : files.filter(p -> p.getFileName().toString().startsWith("dovecot.index")
                                || p.getFileName().toString().equals("dovecot-uidlist"))
                        .toList()) {
                    Files.delete(p);
                }
            }
            try (RawImapClient c =
                    new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
                c.append(
                        "INBOX",
                        null,
                        null,
                        SyncFixture.message("Subject: new after reset\nMessage-ID: <u9@x>", "n\n"));
            }
            assertThat(status(servers, user)).isNotEqualTo(before);
            MailboxResult r = service.syncOnce(user + "@example.test");
            assertThat(r.copied()).isEqualTo(1);
            try (RawImapClient c =
                    new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
                assertThat(c.fetchAll("INBOX"))
                        .hasSize(5)
                        .extracting(Fetched::body)
                        .map(String::new)
                        .noneMatch(s -> s.contains("Subject: m1"));
            }
        }
    }

    static String status(DovecotPair.Servers servers, String user) throws Exception {
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            String s = c.command("STATUS INBOX (UIDVALIDITY)");
            return s.substring(s.indexOf("UIDVALIDITY"), s.indexOf(')', s.indexOf("UIDVALIDITY")));
        }
    }
}
