package io.mxcutover.sync.state;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a source folder held when a pass last listed it: its message count (STATUS MESSAGES) and, once its
 * metadata was fetched with that count, its bytes (the sum of RFC822.SIZE).
 */
public record FolderInventory(String sourceFolder, long messages, OptionalLong bytes, Instant listedAt) {
    public FolderInventory {
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(listedAt, "listedAt");
        if (messages < 0 || (bytes.isPresent() && bytes.getAsLong() < 0)) {
            throw new IllegalArgumentException("folder " + sourceFolder + ": inventory counts must not be negative");
        }
    }
}
