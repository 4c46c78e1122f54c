package io.mxcutover.sync.engine;

import java.util.Objects;

/**
 * What one pass did in one folder. {@code unchanged}: skipped by the STATUS fast path.
 * {@code toCopy} is what the plan wanted copied (the dry-run figure), {@code copied} what was
 * copied, {@code failed} messages that are recorded as failures.
 */
public record FolderResult(
        String sourceFolder,
        String targetFolder,
        boolean unchanged,
        long sourceMessages,
        long toCopy,
        long copied,
        long copiedBytes,
        long adopted,
        long flagUpdates,
        long failed,
        String error) {
    public FolderResult {
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        Objects.requireNonNull(targetFolder, "targetFolder");
    }

    public boolean complete() {
        return failed == 0 && error == null;
    }
}
