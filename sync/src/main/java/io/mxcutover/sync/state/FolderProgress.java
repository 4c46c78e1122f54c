package io.mxcutover.sync.state;

/** Counts of the journal for one folder: messages done, bytes done, intents left open. */
public record FolderProgress(String sourceFolder, String targetFolder, long done, long doneBytes, long intents) {
}
