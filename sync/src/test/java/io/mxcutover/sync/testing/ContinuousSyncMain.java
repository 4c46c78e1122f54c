package io.mxcutover.sync.testing;

import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.run.SyncService;
import io.mxcutover.sync.run.SyncSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The sync service in continuous mode in a JVM of its own, for tests that {@code kill -9} it
 * ({@code SyncContinuousKillIT}, {@code bench/sync/continuous-kill.sh}): the state in
 * {@code <stateDir>/sync.db}, mailboxes {@code <login>@example.test} with password {@code <login>-pw}
 * on both servers, a poll every {@code intervalMillis} and IDLE on INBOX, batches of 3 (many
 * journal steps to land in). Runs until killed.
 *
 * <pre>ContinuousSyncMain LEGACY_URI NEW_URI STATE_DIR INTERVAL_MILLIS LOGIN...</pre>
 */
public final class ContinuousSyncMain {
    private ContinuousSyncMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 5) {
            System.err.println("usage: ContinuousSyncMain LEGACY_URI NEW_URI STATE_DIR INTERVAL_MILLIS LOGIN...");
            System.exit(2);
        }
        ImapSettings imap = ImapSettings.defaults();
        SyncSettings settings = SyncSettings.of(ImapEndpoint.of(args[0]), ImapEndpoint.of(args[1]))
                .withImap(new ImapSettings(
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        3,
                        4L << 20,
                        2L << 20,
                        256 * 1024,
                        1000,
                        true,
                        imap.tempDir()))
                .withInterval(Duration.ofMillis(Long.parseLong(args[3])), true);
        SyncService service = SyncFixture.service(settings, Path.of(args[2]), FaultInjector.NONE, Clock.systemUTC());
        service.addMailboxes(
                Arrays.stream(args, 4, args.length).map(SyncFixture::account).toList());
        service.startContinuous();
        System.out.println("continuous sync running");
        new CountDownLatch(1).await();
    }
}
