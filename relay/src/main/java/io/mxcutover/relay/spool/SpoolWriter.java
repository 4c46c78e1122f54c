package io.mxcutover.relay.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.zip.CRC32C;

/**
 * Streams one message into {@code incoming/<id>.tmp}. {@link #commit()} appends the trailer,
 * forces the file, renames it into place and waits for the shared directory fsync; only after
 * it returns may the message be acknowledged. {@link #abort()} removes the temporary file.
 * Not thread-safe: one writer per SMTP transaction.
 */
public final class SpoolWriter implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;
    /** One writer at a time per thread (a session, or a worker writing a bounce): reuse its buffer. */
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER));

    private final FileSpool spool;
    private final SpoolId id;
    private final Path tmp;
    private final Path target;
    private final FileChannel channel;
    private final ByteBuffer buffer = BUFFERS.get().clear();
    private final CRC32C crc = new CRC32C();
    private final SpoolEntry.Origin origin;
    private final String client;
    private final String helo;
    private final io.mxcutover.relay.smtp.Envelope envelope;
    private final Instant arrival;
    private final long headerLength;
    private long messageLength;
    private boolean done;

    SpoolWriter(
            FileSpool spool,
            SpoolId id,
            Path tmp,
            Path target,
            FileChannel channel,
            byte[] header,
            Instant arrival,
            String client,
            String helo,
            SpoolEntry.Origin origin,
            io.mxcutover.relay.smtp.Envelope envelope)
            throws SpoolException {
        this.spool = spool;
        this.id = id;
        this.tmp = tmp;
        this.target = target;
        this.channel = channel;
        this.arrival = arrival;
        this.client = client;
        this.helo = helo;
        this.origin = origin;
        this.envelope = envelope;
        this.headerLength = header.length;
        putRaw(header, 0, header.length);
    }

    public SpoolId id() {
        return id;
    }

    /** Message bytes written so far. */
    public long messageLength() {
        return messageLength;
    }

    public void write(byte[] b, int off, int len) throws SpoolException {
        crc.update(b, off, len);
        messageLength += len;
        putRaw(b, off, len);
    }

    public void write(byte[] b) throws SpoolException {
        write(b, 0, b.length);
    }

    private void putRaw(byte[] b, int off, int len) throws SpoolException {
        int o = off;
        int remaining = len;
        while (remaining > 0) {
            int n = Math.min(remaining, buffer.remaining());
            buffer.put(b, o, n);
            o += n;
            remaining -= n;
            if (!buffer.hasRemaining()) {
                flush();
            }
        }
    }

    private void flush() throws SpoolException {
        try {
            spool.faults().before(SpoolFaults.Step.WRITE, id);
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        } catch (IOException e) {
            throw spool.translate("write", id, e);
        }
    }

    /** Makes the message durable. After this returns, and only then, answer 250. */
    public SpoolEntry commit() throws SpoolException {
        if (done) {
            throw new IllegalStateException("queue id " + id + " already committed or aborted");
        }
        int checksum = (int) crc.getValue();
        byte[] trailer = SpoolFormat.trailer(messageLength, checksum);
        putRaw(trailer, 0, trailer.length);
        flush();
        long ticket;
        try {
            // Rename first, then force: the rename joins the same journal transaction as the data,
            // so the file's fsync commits both and the directory fsync below rarely has anything
            // left to write (on ext4 it returns without a second journal commit). Until the
            // fsyncs return the client has no 250; a crash leaves at most a file whose trailer
            // or checksum fails, which recovery sets aside.
            spool.faults().before(SpoolFaults.Step.RENAME, id);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            // A directory fsync starting from here on covers the rename; one led by another
            // session may run while this file is forced (see GroupCommit#ticket).
            ticket = spool.groupCommit().ticket(target.getParent());
            spool.faults().before(SpoolFaults.Step.FORCE, id);
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            abortAfterFailure();
            throw spool.translate("commit", id, e);
        }
        done = true;
        try {
            spool.groupCommit().await(target.getParent(), ticket, id);
        } catch (IOException e) {
            // The rename may or may not survive a crash: never acknowledge, and take the file
            // back out so it is not delivered as well (the client will retry).
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // recovery will find it; a duplicate is better than a loss
            }
            throw spool.translate("directory sync", id, e);
        }
        return new SpoolEntry(id, arrival, client, helo, origin, envelope, headerLength, messageLength, checksum);
    }

    private void abortAfterFailure() {
        done = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // discarding
        }
        try {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(target);
        } catch (IOException e) {
            // left behind: recovery sets it aside (no valid trailer) or delivers a complete copy
            // the client will also retry; a duplicate is better than a loss
        }
    }

    /** Drops the temporary file; safe to call more than once. */
    public void abort() {
        if (done) {
            return;
        }
        done = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a channel we are discarding
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // Left behind, it is moved to corrupt/ at the next start.
        }
    }

    @Override
    public void close() {
        abort();
    }
}
