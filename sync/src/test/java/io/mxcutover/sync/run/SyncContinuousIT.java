package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.SyncFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Continuous mode: with a 10-minute poll interval, IDLE must bring a new INBOX arrival over within seconds. */
@ExtendWith(DovecotPair.class)
class SyncContinuousIT {
    @Test
    void continuousShouldCopyNewArrivalWithinSecondsWhenIdleOnInbox(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("idle");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.append("INBOX", null, null, SyncFixture.message("Subject: history\nMessage-ID: <h@x>", "old\n"));
        }
        SyncSettings settings = SyncFixture.settings(servers).withInterval(Duration.ofMinutes(10), true);
        try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            service.startContinuous();
            await().atMost(Duration.ofSeconds(20)).until(() -> count(servers, user) == 1);
            long start = System.nanoTime();
            try (RawImapClient c =
                    new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
                c.append("INBOX", null, null, SyncFixture.message("Subject: arrival\nMessage-ID: <new@x>", "new\n"));
            }
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> count(servers, user) == 2);
            System.out.printf("IDLE arrival copied after %d ms%n", (System.nanoTime() - start) / 1_000_000);
            service.stop();
            assertThat(service.report().messagesCopied()).isEqualTo(2);
        }
    }

    /**
     * Mail that reached the legacy INBOX after the last pass and before the IDLE watcher's SELECT is announced by no
     * IDLE. It is passed as soon as the watcher sees the INBOX differ from the last pass's checkpoint, not at the
     * IDLEd mailbox's next full check (10 minutes here; found by ObservabilityIT in the full suite).
     */
    @Test
    void arrivalBeforeTheIdleBeganShouldBeCopiedWhenTheWatcherStarts(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("idlegap");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.append("INBOX", null, null, SyncFixture.message("Subject: history\nMessage-ID: <gh@x>", "old\n"));
        }
        SyncSettings settings = SyncFixture.settings(servers).withInterval(Duration.ofMinutes(10), true);
        try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            service.syncAll(); // the history pass: INBOX checkpointed with one message
            assertThat(count(servers, user)).isEqualTo(1);
            try (RawImapClient c =
                    new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
                c.append("INBOX", null, null, SyncFixture.message("Subject: gap\nMessage-ID: <gap@x>", "gap\n"));
            }
            long start = System.nanoTime();
            service.startContinuous(); // the mailbox was checked just now: its next full check is 10 min away
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> count(servers, user) == 2);
            System.out.printf(
                    "arrival before the IDLE began copied %d ms after the watcher started%n",
                    (System.nanoTime() - start) / 1_000_000);
            // And the watcher still reports the next arrival.
            try (RawImapClient c =
                    new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
                c.append("INBOX", null, null, SyncFixture.message("Subject: next\nMessage-ID: <gn@x>", "next\n"));
            }
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> count(servers, user) == 3);
            service.stop();
            assertThat(service.report().messagesCopied()).isEqualTo(3);
        }
    }

    static int count(DovecotPair.Servers servers, String user) throws Exception {
        try (RawImapClient c =
                new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
            return c.fetchAll("INBOX").size();
        }
    }
}
