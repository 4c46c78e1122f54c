package io.mxcutover.sync.inventory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * How long the history copy of the listed mailboxes should take. Pure: values in, values out.
 *
 * <p>Per mailbox: the time its listing took (login, LIST, STATUS and the metadata FETCH on legacy; login,
 * LIST and the folder checks on new: what every pass does before it copies) plus the larger of
 * messages / messages-per-second and bytes / bytes-per-second (many small messages cost per message, a few
 * large ones per byte). The mailboxes are then laid out on {@code parallelism} lanes, largest first, each on
 * the lane that frees up first (what the sync's pool does); the estimate is when the last lane ends. A
 * mailbox that could not be listed adds nothing and is counted in {@code notListed}.
 *
 * <p>Tolerance (documented in docs/reference/inventory.md and checked by {@code InventoryIT} against a real copy
 * right after): the actual copy is expected within {@link #LOW} to {@link #HIGH} times the estimate. It is
 * an estimate of the same machine's work: other load, a server that slows down when many streams run at once,
 * or a sample that was not typical of the rest widen it.
 */
public record CopyEstimate(
        Duration duration, CopyRate rate, int parallelism, int mailboxes, int notListed, long messages, long bytes) {
    /** The actual copy time is expected at or above this fraction of the estimate... */
    public static final double LOW = 0.5;
    /** ...and at or below this multiple of it. */
    public static final double HIGH = 2.0;

    public CopyEstimate {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(rate, "rate");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
    }

    public static CopyEstimate of(List<MailboxInventory> inventory, CopyRate rate, int parallelism) {
        List<Double> seconds = new ArrayList<>();
        long messages = 0;
        long bytes = 0;
        int notListed = 0;
        for (MailboxInventory m : inventory) {
            if (m.outcome() != MailboxInventory.Outcome.LISTED) {
                notListed++;
                continue;
            }
            messages += m.messages();
            bytes += m.bytes();
            seconds.add(mailboxSeconds(m, rate));
        }
        seconds.sort(Comparator.reverseOrder());
        PriorityQueue<Double> lanes = new PriorityQueue<>();
        for (int i = 0; i < parallelism; i++) {
            lanes.add(0.0);
        }
        double end = 0;
        for (double s : seconds) {
            double lane = lanes.poll() + s;
            end = Math.max(end, lane);
            lanes.add(lane);
        }
        return new CopyEstimate(
                Duration.ofMillis(Math.round(end * 1000)),
                rate,
                parallelism,
                inventory.size() - notListed,
                notListed,
                messages,
                bytes);
    }

    static double mailboxSeconds(MailboxInventory m, CopyRate rate) {
        double copy = Math.max(m.messages() / rate.messagesPerSecond(), m.bytes() / rate.bytesPerSecond());
        return m.listing().toMillis() / 1000.0 + copy;
    }

    /** Whether an actual copy time is within the documented tolerance of this estimate. */
    public boolean withinTolerance(Duration actual) {
        return withinTolerance(duration, actual);
    }

    /** Whether {@code actual} is within {@link #LOW}..{@link #HIGH} times {@code estimate}. */
    public static boolean withinTolerance(Duration estimate, Duration actual) {
        double ratio = estimate.isZero()
                ? (actual.isZero() ? 1 : Double.POSITIVE_INFINITY)
                : actual.toMillis() / (double) estimate.toMillis();
        return ratio >= LOW && ratio <= HIGH;
    }
}
