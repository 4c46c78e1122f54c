package io.mxcutover.sync.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When to try again: exponential from {@code base}, doubled per attempt, capped at
 * {@code max}; a server's own hint ("Suggested Backoff Time: 2000 milliseconds") wins when it is
 * longer. Pure: the caller passes the clock's now.
 */
public record Backoff(Duration base, Duration max) {
    public static final Backoff MESSAGES = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1));
    public static final Backoff THROTTLING = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));
    private static final Pattern HINT =
            Pattern.compile("backoff time:?\\s*(\\d+)\\s*(ms|milliseconds?|s|seconds?)?", Pattern.CASE_INSENSITIVE);

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max");
        }
    }

    /** The delay before attempt {@code attempts + 1}, after {@code attempts} failures (>= 1). */
    public Duration delay(int attempts, String serverText) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        Duration d = base.multipliedBy(1L << Math.min(doublings, 20));
        if (d.compareTo(max) > 0) {
            d = max;
        }
        Optional<Duration> hint = hint(serverText);
        return hint.isPresent() && hint.get().compareTo(d) > 0 ? hint.get() : d;
    }

    public Instant next(int attempts, Instant now, String serverText) {
        return now.plus(delay(attempts, serverText));
    }

    static Optional<Duration> hint(String serverText) {
        if (serverText == null) {
            return Optional.empty();
        }
        Matcher m = HINT.matcher(serverText);
        if (!m.find()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(java.util.Locale.ROOT);
        return Optional.of(unit.startsWith("s") ? Duration.ofSeconds(n) : Duration.ofMillis(n));
    }
}
