package io.mxcutover.sync.plan;

import java.util.List;
import java.util.Objects;

/** Everything the state store remembers about one source folder of one mailbox. */
public record FolderState(String sourceFolder, List<CopyRecord> records) {
    public FolderState {
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        records = List.copyOf(records);
    }

    public static FolderState empty(String sourceFolder) {
        return new FolderState(sourceFolder, List.of());
    }
}
