package io.mxcutover.sync.imap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Knobs of the IMAP edge. Defaults favour few round trips with bounded memory:
 * bodies are fetched {@code batchMessages} / {@code batchBytes} at a time; a message larger
 * than {@code largeMessageBytes} is streamed to a temporary file in {@code chunkBytes} slices
 * and appended from that file, so heap use does not grow with message size.
 */
public record ImapSettings(
        Duration connectTimeout,
        Duration ioTimeout,
        int batchMessages,
        long batchBytes,
        long largeMessageBytes,
        int chunkBytes,
        int metadataChunk,
        boolean useMultiAppend,
        Path tempDir) {
    public ImapSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(ioTimeout, "ioTimeout");
        Objects.requireNonNull(tempDir, "tempDir");
        if (batchMessages < 1 || batchBytes < 1 || largeMessageBytes < 1 || chunkBytes < 4096 || metadataChunk < 1) {
            throw new IllegalArgumentException("IMAP batch sizes must be positive (chunk at least 4 KiB)");
        }
    }

    public static ImapSettings defaults() {
        return new ImapSettings(
                Duration.ofSeconds(20),
                Duration.ofMinutes(2),
                200,
                8L << 20,
                4L << 20,
                1 << 20,
                5000,
                true,
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    public ImapSettings withMultiAppend(boolean on) {
        return new ImapSettings(
                connectTimeout,
                ioTimeout,
                batchMessages,
                batchBytes,
                largeMessageBytes,
                chunkBytes,
                metadataChunk,
                on,
                tempDir);
    }

    public ImapSettings withBatch(int messages, long bytes) {
        return new ImapSettings(
                connectTimeout,
                ioTimeout,
                messages,
                bytes,
                largeMessageBytes,
                chunkBytes,
                metadataChunk,
                useMultiAppend,
                tempDir);
    }

    public ImapSettings withLargeMessage(long threshold, int chunk) {
        return new ImapSettings(
                connectTimeout,
                ioTimeout,
                batchMessages,
                batchBytes,
                threshold,
                chunk,
                metadataChunk,
                useMultiAppend,
                tempDir);
    }
}
