package io.mxcutover.dnscheck.watch;

import io.mxcutover.dnscheck.propagation.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How often a domain is polled: {@code normal} (default 5 min) in steady states,
 * {@code fast} (default 30 s) while the change is PUBLISHED or PROPAGATING, when the switch
 * time and the moment caches let go are worth seeing to the half minute.
 */
public record WatchSchedule(Duration normal, Duration fast) {

    public static final WatchSchedule DEFAULT = new WatchSchedule(Duration.ofMinutes(5), Duration.ofSeconds(30));

    public WatchSchedule {
        Objects.requireNonNull(normal, "normal");
        Objects.requireNonNull(fast, "fast");
        if (normal.isNegative() || normal.isZero() || fast.isNegative() || fast.isZero()) {
            throw new IllegalArgumentException("poll intervals must be positive");
        }
        if (fast.compareTo(normal) > 0) {
            throw new IllegalArgumentException("the fast poll interval must not exceed the normal one");
        }
    }

    public Duration intervalAfter(Verdict verdict) {
        return verdict.inFlight() ? fast : normal;
    }

    /** When the next poll is due; a domain never polled is due at once. */
    public Instant nextPoll(Instant lastPoll, Verdict lastVerdict) {
        return lastPoll == null ? Instant.MIN : lastPoll.plus(intervalAfter(lastVerdict));
    }
}
