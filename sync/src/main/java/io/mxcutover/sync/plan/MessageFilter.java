package io.mxcutover.sync.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which of a folder's messages a pass copies: all (the default), those whose INTERNALDATE is within an age
 * window (imapsync's {@code --maxage N}: younger than N days; {@code --minage N}: older than N days; with both,
 * the messages between the two ages when {@code minage < maxage}, else those outside them, as imapsync does),
 * or none ({@code --justfolders}: folders are created, nothing is copied).
 *
 * <p>A pass with a filter that leaves messages out does not mark its folders complete, so a later pass without
 * it copies what was left (see {@link #copiesEverything()}).
 */
public record MessageFilter(Optional<Integer> maxAgeDays, Optional<Integer> minAgeDays, boolean foldersOnly) {
    public static final MessageFilter ALL = new MessageFilter(Optional.empty(), Optional.empty(), false);

    public MessageFilter {
        maxAgeDays.ifPresent(d -> positive(d, "maxage"));
        minAgeDays.ifPresent(d -> positive(d, "minage"));
    }

    /** Whether every message is copied. */
    public boolean copiesEverything() {
        return maxAgeDays.isEmpty() && minAgeDays.isEmpty() && !foldersOnly;
    }

    /** Whether the message (its INTERNALDATE in epoch seconds) is copied by a pass at {@code now}. */
    public boolean admits(MessageMeta message, Instant now) {
        if (foldersOnly) {
            return false;
        }
        long date = message.identity().internalDate();
        boolean young = maxAgeDays.map(d -> date >= cut(now, d)).orElse(true);
        boolean old = minAgeDays.map(d -> date <= cut(now, d)).orElse(true);
        if (maxAgeDays.isPresent() && minAgeDays.isPresent() && minAgeDays.get() >= maxAgeDays.get()) {
            // imapsync: minage over maxage is the union of "younger than maxage" and "older than minage".
            return young || old;
        }
        return young && old;
    }

    private static long cut(Instant now, int days) {
        return now.minus(Duration.ofDays(days)).getEpochSecond();
    }

    private static void positive(int days, String name) {
        if (days < 0) {
            throw new IllegalArgumentException(name + " must be a number of days, 0 or more: " + days);
        }
    }
}
