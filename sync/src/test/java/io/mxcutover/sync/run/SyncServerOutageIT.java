package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.sync.engine.FaultPoint;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.state.Failure;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.DovecotProcess;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.SyncFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servers going away (issue 14), against the real Dovecot pair: legacy or new stopped (SIGTERM to
 * its master, every session dropped) in the middle of a pass, after the second batch is committed,
 * and started again: the next pass copies the rest, every message is on new once, legacy is
 * untouched. And the new server refusing APPENDs for quota (Dovecot's quota plugin, a 20 KiB limit
 * on one account): that mailbox is INCOMPLETE with the server's words per message, another mailbox
 * of the same pass completes, and after the admin raises the quota and retries the failures the
 * next pass copies what was refused.
 */
@ExtendWith(DovecotPair.class)
class SyncServerOutageIT {

    @ParameterizedTest(name = "{0} stopped mid-pass")
    @ValueSource(strings = {"legacy", "new"})
    void passShouldResumeWithNothingMissingNorDuplicatedWhenAServerWasStoppedMidPass(
            String side, DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        String user = servers.newUser("outage");
        String address = user + "@example.test";
        List<byte[]> seeded = new ArrayList<>();
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            for (int i = 0; i < 48; i++) {
                byte[] m = SyncFixture.message(
                        "Subject: outage " + i + "\nMessage-ID: <out" + i + "@x>",
                        ("body " + i + " of a message long enough to keep the fetcher busy\n").repeat(300));
                c.append("INBOX", i % 2 == 0 ? "\\Seen" : null, "1" + (i % 9) + "-Jul-2021 10:00:00 +0000", m);
                seeded.add(m);
            }
        }
        List<String> legacyBefore =
                SyncKillIT.fingerprints(SyncContinuousKillIT.fetch(servers.legacy(), user, "INBOX"));
        DovecotProcess dovecot = DovecotProcess.of(
                side.equals("legacy")
                        ? servers.legacy().real()
                        : servers.target().real());
        SyncSettings settings = SyncFixture.settings(servers)
                .withImap(SyncFixture.settings(servers).imap().withBatch(4, 1L << 20));
        AtomicInteger commits = new AtomicInteger();
        MailboxResult first;
        long doneBefore;
        boolean started = false;
        try {
            try (SyncService service = SyncFixture.service(settings, tmp, p -> {
                if (p == FaultPoint.DONE_COMMITTED && commits.incrementAndGet() == 2) {
                    dovecot.stop(); // the server goes away in the middle of the pass
                }
            })) {
                service.addMailboxes(List.of(SyncFixture.account(user)));
                long t0 = System.nanoTime();
                first = service.syncOnce(address);
                doneBefore = service.store().copiedTotals()[0];
                System.out.printf(
                        "%s stopped mid-pass: the pass ended after %d ms: %s, %d in the journal as copied: %s%n",
                        side, (System.nanoTime() - t0) / 1_000_000, first.phase(), doneBefore, first.reason());
            }
            assertThat(first.phase()).isNotEqualTo(MailboxStatus.Phase.SYNCED);
            // Two batches committed before the stop: 1 and 3 of these 20 KB messages (a pass's first FETCHes ramp
            // up from batchBytes / 32 = 32 KiB); with legacy stopped, bodies already read ahead may still be copied.
            assertThat(doneBefore).isBetween(4L, 47L);
            dovecot.start();
            started = true;
        } finally {
            if (!started) {
                dovecot.start();
            }
        }
        // The next pass (a day later: a mailbox-level failure backs off) copies the rest.
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(1));
        try (SyncService service = SyncFixture.service(settings, tmp, p -> {}, later)) {
            MailboxResult second = service.syncOnce(address);
            assertThat(second.complete()).as(String.valueOf(second)).isTrue();
            // At most the rest: an APPEND the stop cut short before its DONE is adopted, not copied again.
            assertThat(second.copied()).isLessThanOrEqualTo(seeded.size() - doneBefore);
            System.out.printf(
                    "%s back: the next pass copied %d; %d messages on new%n", side, second.copied(), seeded.size());
        }
        assertThat(SyncKillIT.hashes(SyncContinuousKillIT.fetch(servers.target(), user, "INBOX")))
                .containsExactlyInAnyOrderElementsOf(
                        seeded.stream().map(SyncFixture::sha256).toList());
        assertThat(SyncKillIT.fingerprints(SyncContinuousKillIT.fetch(servers.legacy(), user, "INBOX")))
                .as("legacy untouched")
                .isEqualTo(legacyBefore);
    }

    @Test
    void quotaRefusalShouldMarkThatMailboxWithTheServersWordsAndRetryAfterTheAdminRaisedIt(
            DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        String full = servers.newUser("quota");
        String other = servers.newUser("roomy");
        for (String u : List.of(full, other)) {
            try (RawImapClient c =
                    new RawImapClient(servers.legacy().host(), servers.legacy().port(), u, u + "-pw")) {
                for (int i = 0; i < 8; i++) {
                    c.append(
                            "INBOX",
                            null,
                            "0" + (i + 1) + "-Aug-2021 10:00:00 +0000",
                            SyncFixture.message(
                                    "Subject: q" + i + "\nMessage-ID: <q" + i + "." + u + "@x>",
                                    ("quota filler " + i + "\n").repeat(300)));
                }
            }
        }
        Path passwd = servers.target().real().passwdFile();
        setQuota(servers, passwd, full, "20K");
        try (SyncService service = SyncFixture.service(servers, tmp, p -> {})) {
            service.addMailboxes(List.of(SyncFixture.account(full), SyncFixture.account(other)));
            List<MailboxResult> results = service.syncAll();
            MailboxResult refused = results.stream()
                    .filter(r -> r.address().startsWith(full))
                    .findFirst()
                    .orElseThrow();
            MailboxResult fine = results.stream()
                    .filter(r -> r.address().startsWith(other))
                    .findFirst()
                    .orElseThrow();
            assertThat(fine.phase()).isEqualTo(MailboxStatus.Phase.SYNCED);
            assertThat(fine.copied()).isEqualTo(8);
            assertThat(refused.phase()).isEqualTo(MailboxStatus.Phase.INCOMPLETE);
            assertThat(refused.copied()).isBetween(1L, 7L);
            List<Failure> failures = service.store().failures(full + "@example.test");
            assertThat(failures)
                    .hasSize((int) (8 - refused.copied()))
                    .allSatisfy(f -> assertThat(f.reason()).contains("Quota exceeded"));
            assertThat(service.store()
                            .mailbox(full + "@example.test")
                            .orElseThrow()
                            .reason()
                            .orElseThrow())
                    .as("the mailbox's status names the refusal")
                    .isNotBlank();
            System.out.printf(
                    "quota: %d copied, %d refused: %s%n",
                    refused.copied(), failures.size(), failures.get(0).reason());
            // Backoff: a pass now does not hammer the full mailbox.
            assertThat(service.syncOnce(full + "@example.test").copied()).isZero();

            // The admin raises the quota and retries.
            setQuota(servers, passwd, full, "10M");
            assertThat(service.retryFailures(full + "@example.test")).isEqualTo(failures.size());
            MailboxResult retried = service.syncOnce(full + "@example.test");
            assertThat(retried.phase()).as(String.valueOf(retried)).isEqualTo(MailboxStatus.Phase.SYNCED);
            assertThat(refused.copied() + retried.copied()).isEqualTo(8);
            assertThat(service.store().failures(full + "@example.test")).isEmpty();
        } finally {
            setQuota(servers, passwd, full, null);
        }
    }

    /** Rewrites the user's passwd-file line on new with a quota rule (null: none), and waits until Dovecot applies it. */
    static void setQuota(DovecotPair.Servers servers, Path passwd, String user, String limit) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
            if (line.startsWith(user + ":")) {
                line = user + ":{PLAIN}" + user + "-pw"
                        + (limit == null ? "" : "::::::userdb_quota_rule=*:storage=" + limit);
            }
            lines.add(line);
        }
        Path tmp = passwd.resolveSibling(passwd.getFileName() + ".new");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(
                tmp,
                passwd,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (limit == null) {
            // Dovecot looks at a changed passwd-file at most once a second.
            await().pollDelay(Duration.ofMillis(1100))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> true);
            return;
        }
        String expected = " "
                + (limit.endsWith("K")
                        ? Long.parseLong(limit.replace("K", ""))
                        : Long.parseLong(limit.replace("M", "")) * 1024)
                + ")";
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    try (RawImapClient c = new RawImapClient(
                            servers.target().host(), servers.target().port(), user, user + "-pw")) {
                        String q = c.command("GETQUOTAROOT INBOX");
                        return q.contains("STORAGE") && q.contains(expected);
                    }
                });
    }
}
