package io.mxcutover.dnscheck.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.dnscheck.propagation.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WatchScheduleTest {

    @ParameterizedTest
    @CsvSource(textBlock = """
            NOT_SWITCHED, 300
            PUBLISHED,    30
            PROPAGATING,  30
            PROPAGATED,   300
            INCONSISTENT, 300
            ERROR,        300
            """)
    void intervalShouldBeFastWhenChangeIsInFlight(Verdict verdict, long seconds) {
        assertThat(WatchSchedule.DEFAULT.intervalAfter(verdict)).isEqualTo(Duration.ofSeconds(seconds));
        assertThat(WatchSchedule.DEFAULT.nextPoll(Instant.EPOCH, verdict)).isEqualTo(Instant.ofEpochSecond(seconds));
    }

    @Test
    void nextPollShouldBeNowWhenNeverPolled() {
        assertThat(WatchSchedule.DEFAULT.nextPoll(null, Verdict.NOT_SWITCHED)).isBefore(Instant.EPOCH);
    }

    @Test
    void scheduleShouldRejectFastSlowerThanNormal() {
        assertThatThrownBy(() -> new WatchSchedule(Duration.ofSeconds(10), Duration.ofSeconds(20)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
