package io.mxcutover.sync.report;

import io.mxcutover.sync.state.FolderInventory;
import io.mxcutover.sync.state.FolderProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When the copy should be done: what is left (the source inventory of each mailbox minus what the journal
 * has copied) divided by the rate measured over the last minutes. Pure: values in, values out.
 *
 * <p>A mailbox that no pass has listed yet has unknown remaining work (never zero), and then so has the
 * whole: the estimate says "unknown" and how many mailboxes are not listed. Without a measured rate, or
 * with no progress in the measured interval, it is unknown too. When both the messages and the bytes left
 * are known, the larger of the two estimates is taken (many small messages cost per message, a few large
 * ones per byte).
 */
public final class Eta {
    private Eta() {}

    /** What is left to copy. {@code bytesKnown}: every listed folder's bytes are known. */
    public record Left(int mailboxes, int mailboxesNotListed, long messages, long bytes, boolean bytesKnown) {
        public static final Left NONE = new Left(0, 0, 0, 0, true);

        public Left {
            if (mailboxes < 0 || mailboxesNotListed < 0 || messages < 0 || bytes < 0) {
                throw new IllegalArgumentException("what is left must not be negative");
            }
        }

        public Left plus(Left o) {
            return new Left(
                    mailboxes + o.mailboxes,
                    mailboxesNotListed + o.mailboxesNotListed,
                    messages + o.messages,
                    bytes + o.bytes,
                    bytesKnown && o.bytesKnown);
        }
    }

    /** Copy rate measured from {@code from} to {@code to}. */
    public record Rate(double messagesPerSecond, double bytesPerSecond, Instant from, Instant to) {
        public Rate {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (messagesPerSecond < 0 || bytesPerSecond < 0) {
                throw new IllegalArgumentException("a rate must not be negative");
            }
        }

        /** Between two readings of the journal's totals (messages and bytes copied so far). */
        public static Optional<Rate> between(
                Instant from, long messagesFrom, long bytesFrom, Instant to, long messagesTo, long bytesTo) {
            double seconds = Duration.between(from, to).toMillis() / 1000.0;
            if (seconds <= 0) {
                return Optional.empty();
            }
            return Optional.of(new Rate(
                    Math.max(0, messagesTo - messagesFrom) / seconds,
                    Math.max(0, bytesTo - bytesFrom) / seconds,
                    from,
                    to));
        }
    }

    /** The estimate, or why there is none; {@code reason} is for an admin. */
    public record Estimate(Optional<Duration> eta, String reason) {
        public Estimate {
            Objects.requireNonNull(eta, "eta");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * What is left in one mailbox: per listed folder, its messages (and bytes) minus those the journal has copied
     * from it, never below zero. Empty inventory: the mailbox was never listed.
     */
    public static Left left(List<FolderInventory> inventory, List<FolderProgress> progress) {
        if (inventory.isEmpty()) {
            return new Left(1, 1, 0, 0, true);
        }
        Map<String, FolderProgress> done = new HashMap<>();
        progress.forEach(p -> done.put(p.sourceFolder(), p));
        long messages = 0;
        long bytes = 0;
        boolean bytesKnown = true;
        for (FolderInventory f : inventory) {
            FolderProgress p = done.get(f.sourceFolder());
            messages += Math.max(0, f.messages() - (p == null ? 0 : p.done()));
            if (f.bytes().isPresent()) {
                bytes += Math.max(0, f.bytes().getAsLong() - (p == null ? 0 : p.doneBytes()));
            } else {
                bytesKnown = false;
            }
        }
        return new Left(1, 0, messages, bytes, bytesKnown);
    }

    public static Estimate estimate(Left left, Optional<Rate> rate) {
        if (left.mailboxesNotListed() > 0) {
            return new Estimate(
                    Optional.empty(),
                    "unknown: " + left.mailboxesNotListed() + " of " + left.mailboxes()
                            + " mailbox(es) not listed yet, so what is left there is not known");
        }
        if (left.messages() == 0 && (!left.bytesKnown() || left.bytes() == 0)) {
            return new Estimate(Optional.of(Duration.ZERO), "nothing left to copy");
        }
        if (rate.isEmpty()) {
            return new Estimate(Optional.empty(), "unknown: no copy rate measured yet");
        }
        Rate r = rate.get();
        String over = " (rate over " + Duration.between(r.from(), r.to()).toSeconds() + " s)";
        Optional<Duration> byMessages = r.messagesPerSecond() > 0
                ? Optional.of(seconds(left.messages() / r.messagesPerSecond()))
                : Optional.empty();
        Optional<Duration> byBytes = left.bytesKnown() && r.bytesPerSecond() > 0
                ? Optional.of(seconds(left.bytes() / r.bytesPerSecond()))
                : Optional.empty();
        if (byMessages.isEmpty() && byBytes.isEmpty()) {
            return new Estimate(
                    Optional.empty(),
                    "unknown: nothing was copied in the measured interval" + over + "; " + left.messages()
                            + " message(s) left");
        }
        Duration eta = byMessages.orElse(Duration.ZERO).compareTo(byBytes.orElse(Duration.ZERO)) >= 0
                ? byMessages.orElse(Duration.ZERO)
                : byBytes.get();
        return new Estimate(
                Optional.of(eta),
                left.messages() + " message(s)"
                        + (left.bytesKnown() ? ", " + left.bytes() + " bytes" : "") + " left at "
                        + String.format(java.util.Locale.ROOT, "%.1f", r.messagesPerSecond()) + " messages/s"
                        + (left.bytesKnown()
                                ? String.format(java.util.Locale.ROOT, ", %.0f bytes/s", r.bytesPerSecond())
                                : "")
                        + over);
    }

    private static Duration seconds(double s) {
        return Duration.ofSeconds((long) Math.ceil(s));
    }
}
