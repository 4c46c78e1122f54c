package io.mxcutover.sync.imap;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A large message's bytes on their way from the legacy server's FETCH to the new server's APPEND, so that neither
 * link waits for the other to move the whole message (store and forward kept one link idle for as long as the
 * message took on the other: 0.7 s per 8 MiB at 100 Mbit/s).
 *
 * <p>One producer (the fetcher, {@link #write} then {@link #finish} or {@link #fail}) and one consumer (the APPEND's
 * literal, {@link #drainTo}). At most {@code capacity} bytes wait in between (plus one slice). The literal's length
 * is the message's RFC822.SIZE, announced before the first byte: so the consumer holds the last slice back until the
 * producer has finished with exactly that many bytes and throws otherwise, never completing a literal whose bytes
 * are not the message's. Whoever gets that exception must drop the new server's connection (the server would read
 * the next command as the rest of the literal); {@link RawImapProtocol#writeCommand} does. A side that waits longer
 * than {@code waitMillis} for the other fails with a reason.
 */
final class StreamedBody {
    private final String what;
    private final long declared;
    private final int capacity;
    private final long waitMillis;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private long buffered;
    private long produced;
    private boolean finished;
    private String sha256;
    private IOException failure;
    private boolean abandoned;
    private boolean drained;
    private long mismatchedAt = -1;

    /** {@code what} names the message for errors, e.g. "message UID 7 of folder 'INBOX' on legacy server h:143". */
    StreamedBody(String what, long declared, int capacity, long waitMillis) {
        if (declared < 1 || capacity < 1 || waitMillis < 1) {
            throw new IllegalArgumentException("a streamed body needs a size, a capacity and a wait");
        }
        this.what = what;
        this.declared = declared;
        this.capacity = capacity;
        this.waitMillis = waitMillis;
    }

    long declared() {
        return declared;
    }

    /** The producer's next bytes (copied). Waits while {@code capacity} bytes are not taken yet. */
    synchronized void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (!abandoned && failure == null && buffered > 0 && buffered + len > capacity) {
            await(deadline, "the new server took no bytes of " + what);
        }
        if (abandoned) {
            throw new IOException("the new server's APPEND of " + what + " stopped");
        }
        if (failure != null) {
            throw failure;
        }
        if (produced + len > declared) {
            failure = mismatch(produced + len, "at least ");
            notifyAll();
            throw failure;
        }
        chunks.add(Arrays.copyOfRange(b, off, off + len));
        buffered += len;
        produced += len;
        notifyAll();
    }

    /** The producer read the whole message: {@code total} bytes with this SHA-256 (hex). */
    synchronized void finish(long total, String sha256) {
        if (failure != null || abandoned) {
            return;
        }
        if (total != declared || produced != declared) {
            failure = mismatch(Math.max(total, produced), "");
        } else {
            this.sha256 = sha256;
            finished = true;
        }
        notifyAll();
    }

    /** The producer failed: the consumer's literal stops with this reason. */
    synchronized void fail(Exception cause) {
        if (failure == null && !finished) {
            failure = new IOException("the legacy server stopped sending " + what + ": " + cause.getMessage(), cause);
            notifyAll();
        }
    }

    /** The consumer is gone (its message closed): the producer's next write fails; buffered bytes are dropped. */
    synchronized void abandon() {
        abandoned = true;
        chunks.clear();
        buffered = 0;
        notifyAll();
    }

    /** Whether the legacy server sent another number of bytes than the announced RFC822.SIZE. */
    synchronized boolean mismatched() {
        return mismatchedAt >= 0;
    }

    /**
     * How many bytes the legacy server had sent when the size was found wrong: all of them for a short message, a
     * lower bound for a long one (the stream stops at the first byte past RFC822.SIZE); -1 when it was not.
     */
    synchronized long mismatchedAt() {
        return mismatchedAt;
    }

    /** Why the stream failed, if it did (for the caller that has to say which side failed). */
    synchronized IOException failure() {
        return failure;
    }

    /** The SHA-256 of the bytes, known once the producer finished with the declared size. */
    synchronized String sha256() {
        if (!finished) {
            throw new IllegalStateException(what + " was not read to its end");
        }
        return sha256;
    }

    /**
     * Writes exactly the declared number of bytes to {@code out} as they come, the last slice only once the producer
     * finished with that many. Once only. Throws (having written fewer bytes) when the producer fails, sends another
     * length, or stalls.
     */
    void drainTo(OutputStream out) throws IOException {
        synchronized (this) {
            if (drained) {
                throw new IOException(what + " was streamed once already and cannot be sent again");
            }
            drained = true;
        }
        long written = 0;
        while (written < declared) {
            byte[] chunk;
            synchronized (this) {
                long deadline = System.nanoTime() + waitMillis * 1_000_000;
                while (failure == null && !abandoned && chunks.isEmpty()) {
                    await(deadline, "the legacy server sent no bytes of " + what);
                }
                throwIfStopped();
                chunk = chunks.peek();
                if (written + chunk.length >= declared) {
                    // The last slice: only once the producer says the message ends here (a longer message would
                    // otherwise be cut to RFC822.SIZE and the APPEND would succeed).
                    while (failure == null && !abandoned && !finished) {
                        await(deadline, "the legacy server did not end " + what);
                    }
                    throwIfStopped();
                }
                chunks.poll();
                buffered -= chunk.length;
                notifyAll();
            }
            out.write(chunk);
            written += chunk.length;
        }
    }

    private void throwIfStopped() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (abandoned) {
            throw new IOException("the APPEND of " + what + " was abandoned");
        }
    }

    private IOException mismatch(long got, String qualifier) {
        mismatchedAt = got;
        return new IOException("the legacy server sent " + qualifier + got + " bytes of " + what
                + " where its RFC822.SIZE said " + declared
                + " (large messages from this server are now stored before they are appended)");
    }

    @SuppressWarnings("WaitNotInLoop") // every caller waits in a loop on its condition
    private void await(long deadline, String why) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            IOException e = new IOException(why + " for " + waitMillis / 1000 + " s");
            if (failure == null) {
                failure = e;
            }
            notifyAll();
            throw e;
        }
        try {
            wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while streaming " + what, e);
        }
    }
}
