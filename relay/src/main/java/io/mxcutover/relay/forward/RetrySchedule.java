package io.mxcutover.relay.forward;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Backoff for deferred mail. Defaults follow Postfix ({@code minimal_backoff_time} 300 s,
 * {@code maximal_backoff_time} 4000 s, {@code maximal_queue_lifetime} 5 d) and RFC 5321 §4.5.4.1
 * (give-up time at least 4-5 days); the delay warning follows {@code delay_warning_time} 4 h.
 */
public record RetrySchedule(Duration minBackoff, Duration maxBackoff, Duration maxLifetime, Duration delayWarning) {

    public static final RetrySchedule DEFAULT =
            new RetrySchedule(Duration.ofMinutes(5), Duration.ofSeconds(4000), Duration.ofDays(5), Duration.ofHours(4));

    public RetrySchedule {
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        Objects.requireNonNull(delayWarning, "delayWarning");
        if (minBackoff.isNegative() || minBackoff.isZero()) {
            throw new IllegalArgumentException("minimal backoff must be positive");
        }
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maximal backoff " + maxBackoff + " is below minimal backoff " + minBackoff);
        }
        if (maxLifetime.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("maximal lifetime " + maxLifetime + " is below minimal backoff");
        }
    }

    /**
     * When to try again after {@code attempts} failed attempts (1 after the first failure).
     * The delay doubles from the minimal backoff and stops at the maximal backoff; it never goes
     * beyond the message's expiry, so the final attempt happens at the end of its lifetime.
     */
    public static Instant nextAttempt(int attempts, Instant firstSeen, Instant now, RetrySchedule schedule) {
        if (attempts < 1) {
            return now;
        }
        Duration delay = schedule.minBackoff();
        for (int i = 1; i < attempts && delay.compareTo(schedule.maxBackoff()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        if (delay.compareTo(schedule.maxBackoff()) > 0) {
            delay = schedule.maxBackoff();
        }
        Instant next = now.plus(delay);
        Instant expiry = firstSeen.plus(schedule.maxLifetime());
        if (next.isAfter(expiry)) {
            next = expiry.isAfter(now) ? expiry : now;
        }
        return next;
    }

    /** True when a message that arrived at {@code firstSeen} should be given up at {@code now}. */
    public boolean expired(Instant firstSeen, Instant now) {
        return !now.isBefore(firstSeen.plus(maxLifetime));
    }

    /** True when the sender should be told the message is delayed (once). */
    public boolean delayWarningDue(Instant firstSeen, Instant now) {
        return !delayWarning.isZero() && !now.isBefore(firstSeen.plus(delayWarning));
    }
}
