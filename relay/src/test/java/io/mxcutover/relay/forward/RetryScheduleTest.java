package io.mxcutover.relay.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryScheduleTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest(name = "attempts={0} now=+{1}s -> +{2}s")
    @CsvSource(textBlock = """
            # attempts, seconds since arrival, expected delay in seconds
            0, 0, 0
            1, 0, 300
            2, 300, 600
            3, 900, 1200
            4, 2100, 2400
            5, 4500, 4000
            6, 8500, 4000
            20, 100000, 4000
            1000, 200000, 4000
            # never past the lifetime end (5 d = 432000 s): last attempt at expiry
            10, 430000, 2000
            10, 431999, 1
            10, 432000, 0
            10, 500000, 0
            """)
    void nextAttemptShouldDoubleFromMinimumToMaximumWithinLifetime(int attempts, long since, long expectedDelay) {
        Instant now = T0.plusSeconds(since);
        Instant next = RetrySchedule.nextAttempt(attempts, T0, now, RetrySchedule.DEFAULT);
        assertThat(Duration.between(now, next).toSeconds()).isEqualTo(expectedDelay);
    }

    @ParameterizedTest
    @CsvSource({"0, false", "431999, false", "432000, true", "999999, true"})
    void expiredShouldBeTrueFromMaximalLifetime(long since, boolean expired) {
        assertThat(RetrySchedule.DEFAULT.expired(T0, T0.plusSeconds(since))).isEqualTo(expired);
    }

    @ParameterizedTest
    @CsvSource({"0, false", "14399, false", "14400, true"})
    void delayWarningShouldBeDueAfterFourHours(long since, boolean due) {
        assertThat(RetrySchedule.DEFAULT.delayWarningDue(T0, T0.plusSeconds(since)))
                .isEqualTo(due);
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 2", "3, 4", "4, 4"})
    void nextAttemptShouldUseConfiguredBackoffWhenCustom(int attempts, long expected) {
        RetrySchedule s =
                new RetrySchedule(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofHours(1), Duration.ZERO);
        assertThat(Duration.between(T0, RetrySchedule.nextAttempt(attempts, T0, T0, s))
                        .toSeconds())
                .isEqualTo(expected);
        assertThat(s.delayWarningDue(T0, T0.plusSeconds(99999))).isFalse();
    }
}
