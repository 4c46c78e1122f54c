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
 * or in a temporary file (large), or streamed from the legacy FETCH into the APPEND (large, from a server whose
 * RFC822.SIZE proved exact: {@link StreamedBody}), with their SHA-256. Never parsed, never rewritten.
 * {@link #close()} deletes the temporary file, gives a large in-memory message's bytes back to
 * its {@link MessageMemory} budget, or stops a stream.
 */
public final class RawMessage implements AutoCloseable {
    private final MessageMeta meta;
    private final byte[] bytes;
    private final Path file;
    private final long size;
    private final String sha256;
    private final MessageMemory memory;
    private final long reserved;
    private final StreamedBody stream;
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
        this.stream = null;
    }

    private RawMessage(MessageMeta meta, StreamedBody stream) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.bytes = null;
        this.file = null;
        this.size = stream.declared();
        this.sha256 = null;
        this.memory = null;
        this.reserved = 0;
        this.stream = stream;
    }

    /**
     * A message whose bytes are still coming from the legacy server: {@link #writeTo} sends them as they arrive
     * (once), {@link #size} is its RFC822.SIZE, {@link #sha256} is known once they were all sent.
     */
    static RawMessage streamed(MessageMeta meta, StreamedBody stream) {
        return new RawMessage(meta, Objects.requireNonNull(stream, "stream"));
    }

    /** Whether the bytes are streamed (written once, as they arrive; a refusal cannot be retried from here). */
    public boolean streamed() {
        return stream != null;
    }

    /** Why the stream from the legacy server failed, if this message is streamed and it did. */
    public java.util.Optional<IOException> streamFailure() {
        return stream == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(stream.failure());
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
        return stream != null ? stream.sha256() : sha256;
    }

    public void writeTo(OutputStream out) throws IOException {
        if (stream != null) {
            stream.drainTo(out);
            return;
        }
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
        if (stream != null) {
            stream.abandon(); // the fetcher stops at its next slice
        }
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
