package io.mxcutover.sync.engine;

import io.mxcutover.sync.folder.FolderMove;
import io.mxcutover.sync.state.MailboxStatus;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one pass over one mailbox, per folder. {@code moves}: the folders of the mailbox's
 * folder plan that are renamed or merged into another folder on the target (every pass lists them,
 * not only a dry run).
 */
public record MailboxResult(
        String address, MailboxStatus.Phase phase, String reason, List<FolderResult> folders, List<FolderMove> moves) {
    public MailboxResult {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(phase, "phase");
        folders = List.copyOf(folders);
        moves = List.copyOf(moves);
    }

    public MailboxResult(String address, MailboxStatus.Phase phase, String reason, List<FolderResult> folders) {
        this(address, phase, reason, folders, List.of());
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
