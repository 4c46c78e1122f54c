package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.report.SyncReport;
import io.mxcutover.sync.testing.Corpus;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.Maildir;
import io.mxcutover.sync.testing.SyncFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ETA of a copy in progress against the real finish: the SpamAssassin corpus (6,046 messages, about 40 MB)
 * in two legacy folders, copied by one pass to the new Dovecot, the report read while it runs.
 */
@ExtendWith(DovecotPair.class)
class SyncEtaIT {
    /**
     * How far the ETA taken at half of the copy may be from the remaining time that really passed: 50%, or 5 s
     * when that is more. On a quiet machine the whole copy takes about 10 s, and the rate measured at half of it
     * still carries the pass's start (login, LIST, the metadata fetch of 6,046 messages): seen ETA 6 s vs 3.2 s
     * real. On a loaded one: 23 s vs 21.1 s, 14 s vs 11.9 s.
     */
    static final double TOLERANCE = 0.5;

    static final Duration SLACK = Duration.ofSeconds(5);

    @Test
    void etaShouldBeWithinToleranceOfRealFinishWhenCopyInProgress(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        List<byte[]> corpus = Corpus.messages();
        String user = servers.newUser("eta");
        List<String> folders = List.of("INBOX", "Archive");
        for (int i = 0; i < corpus.size(); i++) {
            Path dir = Maildir.folder(servers.legacy().real().mailRoot(), user, folders.get(i % folders.size()));
            Maildir.write(
                    dir,
                    corpus.get(i),
                    "",
                    Instant.parse("2002-08-01T00:00:00Z").plusSeconds(i * 60L));
        }
        // A warm JVM, as in the appliance: a first, smaller copy of another mailbox before the measured one.
        String warm = servers.newUser("etawarm");
        for (int i = 0; i < 1000; i++) {
            Maildir.write(
                    Maildir.folder(servers.legacy().real().mailRoot(), warm, "INBOX"),
                    corpus.get(i),
                    "",
                    Instant.parse("2002-08-01T00:00:00Z").plusSeconds(i * 60L));
        }
        String address = user + "@example.test";
        try (SyncService service = SyncFixture.service(servers, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(warm)));
            assertThat(service.syncOnce(warm + "@example.test").copied()).isEqualTo(1000);
            service.addMailboxes(List.of(SyncFixture.account(user)));
            SyncReport before = service.report();
            assertThat(before.mailboxesNotListed()).isEqualTo(1);
            assertThat(before.mailboxesTotal()).isEqualTo(2);
            assertThat(before.eta())
                    .as("a mailbox never listed has unknown work left, not zero")
                    .isEmpty();
            assertThat(before.etaReason()).contains("not listed yet");

            Instant started = Instant.now();
            Future<MailboxResult> pass = service.syncSoon(address);
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        SyncReport r = service.report();
                        return pass.isDone()
                                || (r.messagesCopied() - 1000 >= corpus.size() / 2
                                        && r.eta().isPresent());
                    });
            SyncReport during = service.report();
            Instant estimatedAt = Instant.now();
            MailboxResult result = pass.get(5, TimeUnit.MINUTES);
            Instant finished = Instant.now();
            assertThat(result.complete()).as(String.valueOf(result.reason())).isTrue();
            assertThat(result.copied()).isEqualTo(corpus.size());
            assertThat(during.eta())
                    .as("no ETA while copying: %s", during.etaReason())
                    .isPresent();

            Duration real = Duration.between(estimatedAt, finished);
            Duration eta = during.eta().get();
            long allowedMillis = Math.max((long) (TOLERANCE * real.toMillis()), SLACK.toMillis());
            double error = Math.abs(eta.toMillis() - real.toMillis()) / (double) Math.max(1000, real.toMillis());
            System.out.printf(
                    "ETA at %d of %d messages (+1000 warm-up) after %d ms: %d s (%s); real remaining %d ms; error %.0f%%"
                            + " (tolerance %.0f%% or %d s)%n",
                    during.messagesCopied() - 1000,
                    corpus.size(),
                    Duration.between(started, estimatedAt).toMillis(),
                    eta.toSeconds(),
                    during.etaReason(),
                    real.toMillis(),
                    error * 100,
                    TOLERANCE * 100,
                    SLACK.toSeconds());
            assertThat(Math.abs(eta.toMillis() - real.toMillis()))
                    .as("ETA %s vs real remaining %s (%s)", eta, real, during.etaReason())
                    .isLessThanOrEqualTo(allowedMillis);

            SyncReport after = service.report();
            assertThat(after.messagesRemaining()).isZero();
            assertThat(after.eta()).contains(Duration.ZERO);
        }
    }
}
