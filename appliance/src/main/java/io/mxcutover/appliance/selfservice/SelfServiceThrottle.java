package io.mxcutover.appliance.selfservice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per key (a typed address, a client address) and when the next attempt is allowed: the first
 * {@code freeFailures} cost nothing, each later one doubles the wait from {@code firstDelay} up to
 * {@code maxDelay}. A success clears the key; a key without a failure for {@code forgetAfter} is forgotten, so the
 * map stays small. Time is the injected clock (a test moves it; nothing here sleeps).
 */
public final class SelfServiceThrottle {
    /** How the wait grows. */
    public record Policy(int freeFailures, Duration firstDelay, Duration maxDelay, Duration forgetAfter) {
        public Policy {
            if (freeFailures < 0 || firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("login throttle: free failures >= 0, 0 <= firstDelay <= maxDelay");
            }
        }
    }

    private record Failures(int count, Instant last, Instant until) {}

    private final Policy policy;
    private final Clock clock;
    private final Map<String, Failures> keys = new ConcurrentHashMap<>();

    public SelfServiceThrottle(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** The wait after {@code failures} failures in a row (pure): zero while free, then doubling, capped. */
    public static Duration delay(int failures, Policy policy) {
        int over = failures - policy.freeFailures();
        if (over <= 0) {
            return Duration.ZERO;
        }
        Duration d = policy.firstDelay();
        for (int i = 1; i < over && d.compareTo(policy.maxDelay()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : d;
    }

    /** How long {@code key} must still wait; empty when it may try now. */
    public Optional<Duration> waitFor(String key) {
        Instant now = clock.instant();
        Failures f = keys.get(key);
        if (f == null || !now.isBefore(f.until())) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, f.until()));
    }

    /** A failed attempt of {@code key}: its count grows, and with it the wait before the next one. */
    public void failed(String key) {
        Instant now = clock.instant();
        forgetOld(now);
        keys.compute(key, (k, old) -> {
            int count = old == null ? 1 : old.count() + 1;
            return new Failures(count, now, now.plus(delay(count, policy)));
        });
    }

    /** A successful attempt: the key starts afresh. */
    public void succeeded(String key) {
        keys.remove(key);
    }

    private void forgetOld(Instant now) {
        Instant limit = now.minus(policy.forgetAfter());
        keys.values().removeIf(f -> f.last().isBefore(limit) && !now.isBefore(f.until()));
    }
}
