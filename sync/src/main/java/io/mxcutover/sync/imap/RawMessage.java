package io.mxcutover.sync.imap;

import io.mxcutover.sync.plan.MessageMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The exact bytes of a source message, as BODY.PEEK[] returned them, held in memory (small)
 * or in a temporary file (large), with their SHA-256. Never parsed, never rewritten.
 * {@link #close()} deletes the temporary file, or gives a large in-memory message's bytes back to
 * its {@link MessageMemory} budget.
 */
public final class RawMessage implements AutoCloseable {
    private final MessageMeta meta;
    private final byte[] bytes;
    private final Path file;
    private final long size;
    private final String sha256;
    private final MessageMemory memory;
    private final long reserved;
    private boolean closed;

    private RawMessage(
            MessageMeta meta, byte[] bytes, Path file, long size, String sha256, MessageMemory memory, long reserved) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.bytes = bytes;
        this.file = file;
        this.size = size;
        this.sha256 = Objects.requireNonNull(sha256, "sha256");
        this.memory = memory;
        this.reserved = reserved;
    }

    public static RawMessage inMemory(MessageMeta meta, byte[] bytes) {
        return new RawMessage(meta, bytes, null, bytes.length, ContentHash.sha256(bytes), null, 0);
    }

    /** A large message held in memory; {@code reserved} bytes of {@code memory} are released on close. */
    public static RawMessage inMemory(
            MessageMeta meta, byte[] bytes, String sha256, MessageMemory memory, long reserved) {
        return new RawMessage(
                meta, bytes, null, bytes.length, sha256, Objects.requireNonNull(memory, "memory"), reserved);
    }

    public static RawMessage inFile(MessageMeta meta, Path file, long size, String sha256) {
        return new RawMessage(meta, null, file, size, sha256, null, 0);
    }

    public MessageMeta meta() {
        return meta;
    }

    public long size() {
        return size;
    }

    public String sha256() {
        return sha256;
    }

    public void writeTo(OutputStream out) throws IOException {
        if (bytes != null) {
            out.write(bytes);
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (memory != null) {
            memory.release(reserved); // twice would let the budget grow: hence the closed flag
        }
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // XXX: a leftover temp file is harmless; the temp dir is per run
            }
        }
    }
}
