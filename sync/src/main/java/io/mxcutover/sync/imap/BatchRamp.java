package io.mxcutover.sync.imap;

import io.mxcutover.sync.plan.MessageMeta;
import java.util.List;

/**
 * Cuts runs of small messages into body-FETCH batches, and sizes each batch by how fast the ones before it came.
 *
 * <p>The new server gets nothing to append until a whole batch is fetched, so the first batch is small (256 KiB of
 * the default 8 MiB) and each next one twice the one before, as long as batches keep coming fast. A batch that took
 * at most half a second lets the next one double; one that took over a second halves the next. So a copy settles
 * at batches of half a second to a second of transfer: the largest batch ({@code batchBytes}) on loopback or a fast
 * link, where its per-command cost matters most, and 1-2 MiB on a 100 Mbit/s link that four mailboxes share, where
 * a full batch would keep the new server's link idle for seconds while it was fetched (the first batch) and after
 * the legacy one was done (the last).
 *
 * <p>Only a batch that the byte limit ended counts as a measure: one ended by the message count or by the end of
 * the run says nothing about a larger one. With no measure yet, the limit doubles at each cut (the plain ramp).
 * Not thread-safe: one per {@link ImapSession#fetchBodies} call.
 */
final class BatchRamp {
    /** A batch that would take at most this long at the rate measured may be twice as large. */
    static final long GROW_NANOS = 1_000_000_000L;
    /** A batch that took longer than this at the rate measured makes the next one half as large. */
    static final long SHRINK_NANOS = 1_000_000_000L;

    private final int batchMessages;
    private final long batchBytes;
    private final long floor;
    private long limit;
    private boolean cut;
    /** Bytes per second of the last byte-bound batch; 0: none measured yet. */
    private double rate;

    /**
     * {@code firstBatchBytes}: the first batch's byte limit ({@code Long.MAX_VALUE}: no ramp, the first batch is
     * full); the limit never shrinks below {@code min(firstBatchBytes, batchBytes / 32)}.
     */
    BatchRamp(int batchMessages, long batchBytes, long firstBatchBytes) {
        this.batchMessages = batchMessages;
        this.batchBytes = batchBytes;
        this.limit = Math.min(batchBytes, Math.max(1, firstBatchBytes));
        this.floor = Math.max(1, Math.min(limit, batchBytes / 32));
    }

    /** A batch: its messages, and whether the byte limit ended it (the next message would have gone over). */
    record Batch(List<MessageMeta> messages, boolean byteBound) {}

    /**
     * The next batch of {@code run} from index {@code from} (< the run's size): at least one message, at most
     * {@code batchMessages}, and no more bytes than the limit unless a single message is larger.
     */
    Batch next(List<MessageMeta> run, int from) {
        if (cut) {
            limit = nextLimit(limit, floor, batchBytes, rate);
        }
        cut = true;
        long bytes = 0;
        int end = from;
        while (end < run.size() && end - from < batchMessages) {
            long size = run.get(end).identity().size();
            if (end > from && bytes + size > limit) {
                return new Batch(run.subList(from, end), true);
            }
            bytes += size;
            end++;
        }
        return new Batch(run.subList(from, end), false);
    }

    /** The limit the last {@link #next} cut with. */
    long limit() {
        return limit;
    }

    /** {@code bytes} of a byte-bound batch came in {@code nanos}: the rate the next cuts go by. */
    void observe(long bytes, long nanos) {
        if (bytes > 0 && nanos >= 0) {
            rate = bytes / (Math.max(1, nanos) / 1e9);
        }
    }

    /**
     * The limit of the batch after one of {@code limit}, at {@code bytesPerSecond} (0: not measured: double).
     * Doubles while twice the limit would take at most {@link #GROW_NANOS}, halves while the limit takes over
     * {@link #SHRINK_NANOS}; within {@code [floor, max]}. Pure.
     */
    static long nextLimit(long limit, long floor, long max, double bytesPerSecond) {
        double grownNanos = bytesPerSecond > 0 ? 2.0 * limit / bytesPerSecond * 1e9 : 0;
        double nanos = bytesPerSecond > 0 ? limit / bytesPerSecond * 1e9 : 0;
        long next;
        if (grownNanos <= GROW_NANOS) {
            next = limit > max / 2 ? max : limit * 2;
        } else if (nanos > SHRINK_NANOS) {
            next = limit / 2;
        } else {
            next = limit;
        }
        return Math.max(Math.min(floor, max), Math.min(max, next));
    }
}
