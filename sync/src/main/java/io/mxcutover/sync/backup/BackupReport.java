package io.mxcutover.sync.backup;

import java.util.List;
import java.util.Objects;

/**
 * The new server checked against a mailbox's backup: how many messages the backup holds, how many
 * were found on the new server with the same bytes, and what is missing or differs (folder, backup
 * file, Message-ID, size, why). {@code backupFinished}: the backup carries its completion marker; a
 * backup that stopped half-way checks only part of the mailbox, so it is never {@link #complete}.
 */
public record BackupReport(
        String address, long backedUp, long found, List<Entry> missing, List<Entry> different, boolean backupFinished) {
    public record Entry(String folder, String file, String messageId, long size, String why) {
        public Entry {
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(why, "why");
        }
    }

    public BackupReport {
        Objects.requireNonNull(address, "address");
        missing = List.copyOf(missing);
        different = List.copyOf(different);
    }

    public BackupReport(String address, long backedUp, long found, List<Entry> missing, List<Entry> different) {
        this(address, backedUp, found, missing, different, true);
    }

    /**
     * A finished backup, and every backed-up message is on the new server (bytes may differ where the
     * server canonicalised them).
     */
    public boolean complete() {
        return backupFinished && missing.isEmpty();
    }
}
