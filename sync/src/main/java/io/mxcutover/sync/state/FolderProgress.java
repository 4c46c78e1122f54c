package io.mxcutover.sync.state;

/**
 * Counts of the journal for one folder: messages done, bytes done, intents left open; and how the
 * folder plan maps it ({@code move}: SAME, RENAMED or MERGED, empty when the folder is not planned
 * yet; {@code moveReason}: the rule that renamed or merged it).
 */
public record FolderProgress(
        String sourceFolder,
        String targetFolder,
        long done,
        long doneBytes,
        long intents,
        String move,
        String moveReason) {
    public FolderProgress(String sourceFolder, String targetFolder, long done, long doneBytes, long intents) {
        this(sourceFolder, targetFolder, done, doneBytes, intents, "", "");
    }
}
