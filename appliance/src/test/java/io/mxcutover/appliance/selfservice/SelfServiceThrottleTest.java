package io.mxcutover.appliance.selfservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.mxcutover.it.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The growing wait after failed self-service logins, on a clock the test moves (no sleep). */
class SelfServiceThrottleTest {
    static final SelfServiceThrottle.Policy POLICY =
            new SelfServiceThrottle.Policy(3, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(1));

    static Stream<Arguments> delays() {
        return Stream.of(
                arguments(0, Duration.ZERO),
                arguments(1, Duration.ZERO),
                arguments(3, Duration.ZERO),
                arguments(4, Duration.ofSeconds(30)),
                arguments(5, Duration.ofSeconds(60)),
                arguments(6, Duration.ofSeconds(120)),
                arguments(8, Duration.ofSeconds(480)),
                arguments(9, Duration.ofMinutes(15)),
                arguments(40, Duration.ofMinutes(15)),
                arguments(Integer.MAX_VALUE, Duration.ofMinutes(15)));
    }

    @ParameterizedTest
    @MethodSource("delays")
    void delayShouldDoubleAfterFreeFailuresUpToMax(int failures, Duration expected) {
        assertThat(SelfServiceThrottle.delay(failures, POLICY)).isEqualTo(expected);
    }

    @Test
    void throttleShouldRefuseUntilDelayPassedAndGrowWithEachFailure() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
        SelfServiceThrottle t = new SelfServiceThrottle(POLICY, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(t.waitFor("address:anna@example.org")).isEmpty();
            t.failed("address:anna@example.org");
        }
        assertThat(t.waitFor("address:anna@example.org")).isEmpty();
        t.failed("address:anna@example.org"); // 4th: 30 s
        assertThat(t.waitFor("address:anna@example.org")).contains(Duration.ofSeconds(30));
        assertThat(t.waitFor("address:ben@example.org")).isEmpty();
        clock.advance(Duration.ofSeconds(29));
        assertThat(t.waitFor("address:anna@example.org")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(t.waitFor("address:anna@example.org")).isEmpty();
        t.failed("address:anna@example.org"); // 5th: 60 s
        assertThat(t.waitFor("address:anna@example.org")).contains(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        t.succeeded("address:anna@example.org");
        t.failed("address:anna@example.org"); // a success started it afresh: free again
        assertThat(t.waitFor("address:anna@example.org")).isEmpty();
    }

    @Test
    void throttleShouldForgetKeyAfterQuietHourAndStartFree() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
        SelfServiceThrottle t = new SelfServiceThrottle(POLICY, clock);
        for (int i = 0; i < 5; i++) {
            t.failed("client:192.0.2.7");
        }
        assertThat(t.waitFor("client:192.0.2.7")).contains(Duration.ofSeconds(60));
        clock.advance(Duration.ofHours(1).plusSeconds(61));
        t.failed("client:198.51.100.1"); // any failure sweeps the old keys
        t.failed("client:192.0.2.7");
        assertThat(t.waitFor("client:192.0.2.7")).isEmpty();
    }
}
