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
            await().atMost(Duration.ofSeconds(10)) // counted once journaled DONE, a moment after it is on new
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> service.report().messagesCopied() == 2);
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
            // On new once its APPEND is answered, counted a moment later, when the pass journals it DONE: a stop()
            // in between interrupts that pass (the next one would find the message there). Under load that gap was
            // long enough for the count to read 2.
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> service.report().messagesCopied() == 3);
            service.stop();
            assertThat(service.report().messagesCopied()).isEqualTo(3);
        }
    }

    /**
     * close() returns only when no pass runs any more: a pass in flight writes to the store until it ends, and the
     * store may be closed or removed right after (CI run of 1e706ea: a watcher's pass recreated this class's
     * SQLite file after close). The pass here is held 1.5 s after its INTENT commit, as a slow disk would.
     */
    @Test
    void closeShouldWaitForThePassInFlight(DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        String user = servers.newUser("closewait");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.append("INBOX", null, null, SyncFixture.message("Subject: held\nMessage-ID: <cw@x>", "held\n"));
        }
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean passEnded = new java.util.concurrent.atomic.AtomicBoolean();
        FaultInjector slowDisk = point -> {
            if (point == io.mxcutover.sync.engine.FaultPoint.INTENT_COMMITTED && held.getCount() > 0) {
                held.countDown();
                long until = System.nanoTime() + 1_500_000_000L;
                while (System.nanoTime() < until) { // not interruptible, as a blocked fsync is not
                    java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
                }
            }
            if (point == io.mxcutover.sync.engine.FaultPoint.DONE_COMMITTED) {
                passEnded.set(true);
            }
        };
        SyncSettings settings = SyncFixture.settings(servers).withInterval(Duration.ofMinutes(10), false);
        SyncService service = SyncFixture.service(settings, tmp, slowDisk);
        service.addMailboxes(List.of(SyncFixture.account(user)));
        service.startContinuous();
        assertThat(held.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        service.close();

        assertThat(passEnded)
                .as("the pass in flight ended before close() returned")
                .isTrue();
    }

    static int count(DovecotPair.Servers servers, String user) throws Exception {
        try (RawImapClient c =
                new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
            return c.fetchAll("INBOX").size();
        }
    }
}
