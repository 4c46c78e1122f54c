package io.mxcutover.sync.report;

import io.mxcutover.sync.state.Failure;
import io.mxcutover.sync.state.FolderInventory;
import io.mxcutover.sync.state.FolderProgress;
import io.mxcutover.sync.state.MailboxStatus;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One mailbox in a report: its status, per-folder progress from the journal, its recorded failures, and
 * {@code messagesTotal}: the messages its source holds, from the source inventory (STATUS MESSAGES of every
 * folder the copy takes, as last listed by a pass or by the ETA's inventory). Empty (JSON {@code null}, never
 * 0) while no pass has listed the mailbox.
 */
public record MailboxReport(
        MailboxStatus status, List<FolderProgress> folders, List<Failure> failures, OptionalLong messagesTotal) {
    public MailboxReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(messagesTotal, "messagesTotal");
        folders = List.copyOf(folders);
        failures = List.copyOf(failures);
    }

    /** A mailbox whose source total is not known. */
    public MailboxReport(MailboxStatus status, List<FolderProgress> folders, List<Failure> failures) {
        this(status, folders, failures, OptionalLong.empty());
    }

    /** With the total from the mailbox's source inventory; an empty inventory (never listed) leaves it unknown. */
    public static MailboxReport of(
            MailboxStatus status,
            List<FolderProgress> folders,
            List<Failure> failures,
            List<FolderInventory> inventory) {
        return new MailboxReport(
                status,
                folders,
                failures,
                inventory.isEmpty()
                        ? OptionalLong.empty()
                        : OptionalLong.of(inventory.stream()
                                .mapToLong(FolderInventory::messages)
                                .sum()));
    }

    public long messagesCopied() {
        return folders.stream().mapToLong(FolderProgress::done).sum();
    }

    public long bytesCopied() {
        return folders.stream().mapToLong(FolderProgress::doneBytes).sum();
    }
}
