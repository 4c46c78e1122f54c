package io.mxcutover.sync.run;

import io.mxcutover.sync.state.MailboxStatus;
import java.util.List;
import java.util.Objects;

/** The outcome of one pass over one mailbox, per folder. */
public record MailboxResult(String address, MailboxStatus.Phase phase, String reason, List<FolderResult> folders) {
    public MailboxResult {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(phase, "phase");
        folders = List.copyOf(folders);
    }

    public long copied() {
        return folders.stream().mapToLong(FolderResult::copied).sum();
    }

    public long copiedBytes() {
        return folders.stream().mapToLong(FolderResult::copiedBytes).sum();
    }

    public long toCopy() {
        return folders.stream().mapToLong(FolderResult::toCopy).sum();
    }

    public long failedMessages() {
        return folders.stream().mapToLong(FolderResult::failed).sum();
    }

    public boolean complete() {
        return phase == MailboxStatus.Phase.SYNCED;
    }
}
