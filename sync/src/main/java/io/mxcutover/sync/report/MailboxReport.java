package io.mxcutover.sync.report;

import io.mxcutover.sync.state.Failure;
import io.mxcutover.sync.state.FolderProgress;
import io.mxcutover.sync.state.MailboxStatus;
import java.util.List;
import java.util.Objects;

/** One mailbox in a report: its status, per-folder progress from the journal and its recorded failures. */
public record MailboxReport(MailboxStatus status, List<FolderProgress> folders, List<Failure> failures) {
    public MailboxReport {
        Objects.requireNonNull(status, "status");
        folders = List.copyOf(folders);
        failures = List.copyOf(failures);
    }

    public long messagesCopied() {
        return folders.stream().mapToLong(FolderProgress::done).sum();
    }

    public long bytesCopied() {
        return folders.stream().mapToLong(FolderProgress::doneBytes).sum();
    }
}
