package io.mxcutover.sync.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.testing.TestState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassLogTest {
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    static final String OLD = "old:993";
    static final String NEW = "new:993";

    private static PassLog log(Path dir) {
        DataSource ds = TestState.open(dir.resolve("sync.db"));
        return new PassLog(ds);
    }

    @Test
    void measuredRateShouldCountOnlyPassesBigEnoughBetweenTheSameServers(@TempDir Path dir) {
        PassLog log = log(dir);
        log.passed("a@x.test", OLD, NEW, T0, T0.plusSeconds(4), 200, 2_000_000, "SYNCED");
        assertThat(log.measuredRate(OLD, NEW, T0.plusSeconds(60)))
                .as("4 s of copying is not enough")
                .isEmpty();
        log.passed("b@x.test", OLD, NEW, T0, T0.plusSeconds(6), 100, 1_000_000, "SYNCED");
        log.passed("c@x.test", OLD, NEW, T0, T0.plusSeconds(30), 5, 50, "SYNCED"); // too small to count
        log.passed("d@x.test", OLD, "other:993", T0, T0.plusSeconds(100), 1000, 1, "SYNCED"); // other server

        assertThat(log.measuredRate(OLD, NEW, T0.plusSeconds(60))).hasValueSatisfying(r -> {
            assertThat(r.source()).isEqualTo(CopyRate.Source.MEASURED);
            assertThat(r.messagesPerSecond()).isEqualTo(30.0);
            assertThat(r.bytesPerSecond()).isEqualTo(300_000.0);
            assertThat(r.basis()).contains("2 pass(es)", OLD + " -> " + NEW);
        });
        assertThat(log.measuredRate(OLD, NEW, T0.plus(PassLog.RATE_WINDOW).plusSeconds(60)))
                .as("too old")
                .isEmpty();
    }

    @Test
    void historyCopyShouldRunFromFirstPassToEachMailboxsFirstCompletePass(@TempDir Path dir) {
        PassLog log = log(dir);
        log.passed("a@x.test", OLD, NEW, T0, T0.plusSeconds(10), 0, 0, "FAILED");
        log.passed("a@x.test", OLD, NEW, T0.plusSeconds(20), T0.plusSeconds(50), 300, 3000, "SYNCED");
        log.passed("b@x.test", OLD, NEW, T0.plusSeconds(5), T0.plusSeconds(40), 100, 1000, "INCOMPLETE");
        // Later small passes leave no row (nothing to learn from them).
        log.passed("a@x.test", OLD, NEW, T0.plusSeconds(100), T0.plusSeconds(101), 1, 10, "SYNCED");

        PassLog.HistoryCopy h = log.historyCopy(List.of("a@x.test", "b@x.test"));
        assertThat(h.firstPassStarted()).contains(T0);
        assertThat(h.firstCopied())
                .containsEntry("a@x.test", T0.plusSeconds(50))
                .containsEntry("b@x.test", T0.plusSeconds(40));
        assertThat(h.took(List.of("a@x.test", "b@x.test"))).contains(Duration.ofSeconds(50));
        assertThat(log.historyCopy(List.of("a@x.test", "c@x.test")).took(List.of("a@x.test", "c@x.test")))
                .as("c has not been copied")
                .isEmpty();
        assertThat(log.historyCopy(List.of("c@x.test")).firstPassStarted()).isEmpty();
    }
}
