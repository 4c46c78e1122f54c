package io.mxcutover.sync.imap;

import java.util.concurrent.Semaphore;

/**
 * Heap set aside, process-wide, for messages above the FETCH batch threshold that are still held in
 * memory between FETCH and APPEND instead of being spooled to a temp file. The temp file costs a
 * write and a read-back of every byte (27% of the bytes of the bench corpus are in the 67 messages
 * over 4 MiB); the budget keeps the heap bounded whatever the number of mailboxes in parallel: a
 * message that does not fit (too large, or the budget is taken by other workers) goes to a temp
 * file as before. Reservations never block, so no worker waits on another.
 */
public final class MessageMemory {
    /** Largest message held in memory; larger ones always go through a temp file. */
    public static final int MAX_MESSAGE_BYTES = 16 << 20;
    /**
     * Total held in memory at once by all workers (4 mailboxes x one 16 MiB message), and never more
     * than an eighth of the heap: a JVM run with a small -Xmx keeps spooling to temp files.
     */
    public static final int BUDGET_BYTES = 64 << 20;

    private static final MessageMemory SHARED = new MessageMemory(MAX_MESSAGE_BYTES, (int)
            Math.max(1, Math.min(BUDGET_BYTES, Runtime.getRuntime().maxMemory() / 8)));

    private final int maxMessageBytes;
    private final Semaphore available;

    MessageMemory(int maxMessageBytes, int budgetBytes) {
        if (maxMessageBytes < 1 || budgetBytes < 1) {
            throw new IllegalArgumentException("in-memory message limits must be positive");
        }
        this.maxMessageBytes = maxMessageBytes;
        this.available = new Semaphore(budgetBytes);
    }

    public static MessageMemory shared() {
        return SHARED;
    }

    /** Reserves {@code bytes} if the message may be held in memory now; the caller must {@link #release} them. */
    public boolean tryReserve(long bytes) {
        return bytes >= 0 && bytes <= maxMessageBytes && available.tryAcquire((int) bytes);
    }

    public void release(long bytes) {
        available.release((int) bytes);
    }

    /** Bytes currently free (for tests and metrics). */
    public int availableBytes() {
        return available.availablePermits();
    }
}
