package io.mxcutover.appliance.window;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the catch-up window rule looks at for one domain. Built from the store (cutover time,
 * overrides), the DNS watcher (MX switch, resolver convergence, old TTL), the sync (last message found
 * new on legacy) and the migration plan (length, quiet period).
 *
 * @param cutoverAt when the domain went live
 * @param mxSwitchSeenAt first poll on which every authoritative server returned the new MX set
 * @param length how long after the MX switch the window stays open (48 h by default)
 * @param resolversConvergedAt first poll on which every watched resolver returned the new MX set
 * @param largestOldTtl the largest TTL seen on the old MX set: how long a resolver may keep serving it
 * @param lastNewOnLegacyAt the last time the sync found a message on legacy it had not copied yet
 * @param quietPeriod how long legacy must stay quiet before the window may close (6 h by default)
 */
public record WindowInputs(
        Instant cutoverAt,
        Optional<Instant> mxSwitchSeenAt,
        Duration length,
        Optional<Instant> resolversConvergedAt,
        Duration largestOldTtl,
        Optional<Instant> lastNewOnLegacyAt,
        Duration quietPeriod,
        WindowOverrides overrides) {

    public static final Duration DEFAULT_LENGTH = Duration.ofHours(48);
    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofHours(6);

    public WindowInputs {
        Objects.requireNonNull(cutoverAt, "cutoverAt");
        Objects.requireNonNull(mxSwitchSeenAt, "mxSwitchSeenAt");
        Objects.requireNonNull(resolversConvergedAt, "resolversConvergedAt");
        Objects.requireNonNull(lastNewOnLegacyAt, "lastNewOnLegacyAt");
        Objects.requireNonNull(overrides, "overrides");
        requireNotNegative(length, "window length");
        requireNotNegative(largestOldTtl, "largest old TTL");
        requireNotNegative(quietPeriod, "quiet period");
    }

    /** A window that started at {@code cutoverAt}, with default length and quiet period, nothing seen yet. */
    public static WindowInputs startingAt(Instant cutoverAt) {
        return new WindowInputs(
                cutoverAt,
                Optional.empty(),
                DEFAULT_LENGTH,
                Optional.empty(),
                Duration.ZERO,
                Optional.empty(),
                DEFAULT_QUIET_PERIOD,
                WindowOverrides.NONE);
    }

    public WindowInputs withMxSwitchSeenAt(Instant at) {
        return new WindowInputs(
                cutoverAt,
                Optional.of(at),
                length,
                resolversConvergedAt,
                largestOldTtl,
                lastNewOnLegacyAt,
                quietPeriod,
                overrides);
    }

    public WindowInputs withLength(Duration newLength) {
        return new WindowInputs(
                cutoverAt,
                mxSwitchSeenAt,
                newLength,
                resolversConvergedAt,
                largestOldTtl,
                lastNewOnLegacyAt,
                quietPeriod,
                overrides);
    }

    public WindowInputs withResolversConvergedAt(Instant at, Duration oldTtl) {
        return new WindowInputs(
                cutoverAt, mxSwitchSeenAt, length, Optional.of(at), oldTtl, lastNewOnLegacyAt, quietPeriod, overrides);
    }

    public WindowInputs withLastNewOnLegacyAt(Instant at) {
        return new WindowInputs(
                cutoverAt,
                mxSwitchSeenAt,
                length,
                resolversConvergedAt,
                largestOldTtl,
                Optional.of(at),
                quietPeriod,
                overrides);
    }

    public WindowInputs withQuietPeriod(Duration period) {
        return new WindowInputs(
                cutoverAt,
                mxSwitchSeenAt,
                length,
                resolversConvergedAt,
                largestOldTtl,
                lastNewOnLegacyAt,
                period,
                overrides);
    }

    public WindowInputs withOverrides(WindowOverrides newOverrides) {
        return new WindowInputs(
                cutoverAt,
                mxSwitchSeenAt,
                length,
                resolversConvergedAt,
                largestOldTtl,
                lastNewOnLegacyAt,
                quietPeriod,
                newOverrides);
    }

    private static void requireNotNegative(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + duration);
        }
    }
}
