package io.mxcutover.sync.inventory;

import java.util.Objects;

/**
 * One legacy folder as the inventory found it: its messages and bytes (STATUS and the sizes of one metadata
 * FETCH), the new-server folder the mapping gives it and what happens to it there. {@code targetFolder} is
 * empty when the new server was not checked.
 */
public record FolderCount(
        String sourceFolder, long messages, long bytes, String targetFolder, Fate fate, String reason) {
    /** What the new server does with the folder. */
    public enum Fate {
        /** Same name, only the namespace translated. */
        SAME,
        /** Another name on the new server (separator, a rename rule, a name taken). */
        RENAMED,
        /** Into a folder the new server already has (a special-use folder). */
        MERGED,
        /** The new server refused to create it (its words in {@code reason}): the copy would fail this folder. */
        REFUSED,
        /** The new server was not checked. */
        UNCHECKED
    }

    public FolderCount {
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        Objects.requireNonNull(targetFolder, "targetFolder");
        Objects.requireNonNull(fate, "fate");
        reason = reason == null ? "" : reason;
        if (messages < 0 || bytes < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }
}
