package io.mxcutover.appliance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.it.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    final LoginThrottle throttle =
            new LoginThrottle(new LoginThrottle.Rule(3, Duration.ofMinutes(5), Duration.ofMinutes(15)), clock);

    @Test
    void addressShouldBeLockedForLockoutWhenMaxFailuresFallWithinWindow() {
        assertThat(throttle.failed("192.0.2.1").lockedUntil()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.failed("192.0.2.1").failures()).isEqualTo(2);
        assertThat(throttle.lockedFor("192.0.2.1")).isEmpty();
        LoginThrottle.Verdict third = throttle.failed("192.0.2.1");
        assertThat(third.lockedUntil()).contains(Instant.parse("2026-12-05T10:16:00Z"));
        assertThat(throttle.lockedFor("192.0.2.1")).contains(Duration.ofMinutes(15));
        assertThat(throttle.lockedFor("192.0.2.2")).as("per client").isEmpty();

        clock.advance(Duration.ofMinutes(14));
        assertThat(throttle.lockedFor("192.0.2.1")).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.lockedFor("192.0.2.1")).isEmpty();
        assertThat(throttle.failed("192.0.2.1").failures())
                .as("counting starts again")
                .isEqualTo(1);
    }

    @Test
    void failuresOlderThanWindowShouldNotCount() {
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        clock.advance(Duration.ofMinutes(5));
        assertThat(throttle.failed("192.0.2.1").failures()).isEqualTo(1);
        assertThat(throttle.lockedFor("192.0.2.1")).isEmpty();
    }

    @Test
    void successShouldClearFailuresButNotALockout() {
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        throttle.succeeded("192.0.2.1");
        assertThat(throttle.failed("192.0.2.1").failures()).isEqualTo(1);
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        assertThat(throttle.lockedFor("192.0.2.1")).isPresent();
        throttle.succeeded("192.0.2.1");
        assertThat(throttle.lockedFor("192.0.2.1")).isPresent();
    }

    @Test
    void zeroMaxFailuresShouldTurnTheThrottleOff() {
        LoginThrottle off =
                new LoginThrottle(new LoginThrottle.Rule(0, Duration.ofMinutes(5), Duration.ofMinutes(15)), clock);
        for (int i = 0; i < 100; i++) {
            off.failed("192.0.2.1");
        }
        assertThat(off.lockedFor("192.0.2.1")).isEmpty();
    }

    @Test
    void idleAddressesShouldBeForgottenWhenTheTableIsFull() {
        for (int i = 0; i < LoginThrottle.MAX_CLIENTS; i++) {
            throttle.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        clock.advance(Duration.ofMinutes(6));
        throttle.failed("198.51.100.1"); // table full: the idle ones go
        throttle.failed("192.0.2.1");
        assertThat(throttle.failed("192.0.2.1").failures()).isEqualTo(2);
    }
}
