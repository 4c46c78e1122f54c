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

    static int count(DovecotPair.Servers servers, String user) throws Exception {
        try (RawImapClient c =
                new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
            return c.fetchAll("INBOX").size();
        }
    }
}
