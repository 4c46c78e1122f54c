package io.mxcutover.sync.plan;

import java.util.List;
import java.util.Objects;

/** A folder's state on one server at one moment: UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, messages by UID. */
public record FolderSnapshot(
        String folder, long uidValidity, long uidNext, long highestModSeq, List<MessageMeta> messages) {
    public FolderSnapshot {
        Objects.requireNonNull(folder, "folder");
        messages = List.copyOf(messages);
    }

    public static FolderSnapshot empty(String folder) {
        return new FolderSnapshot(folder, 0, 1, 0, List.of());
    }
}
