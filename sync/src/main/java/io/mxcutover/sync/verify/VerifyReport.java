package io.mxcutover.sync.verify;

import io.mxcutover.sync.folder.FolderMove;
import java.util.List;
import java.util.Objects;

/**
 * The readiness verdict for one mailbox that the cutover gates on: READY when every source
 * message is on the target (or was deliberately deleted there after its copy) and every
 * compared content hash matches; NOT_READY otherwise, with the list of what is missing and why;
 * UNREACHABLE when a server could not be asked. A mailbox with no folder to compare is NOT_READY
 * (nothing was verified). The report also says what a READY does not: how many messages the user
 * deleted on the target after their copy ({@code deletedOnTarget}, deliberately not copied again),
 * how many dates the target did not keep ({@code datesNotKept}, a warning), and which folders the
 * folder plan renames or merges into another folder ({@code moves}).
 */
public record VerifyReport(
        String address,
        Verdict verdict,
        String reason,
        List<FolderVerdict> folders,
        List<FolderMove> moves,
        long deletedOnTarget,
        long datesNotKept) {
    public enum Verdict {
        READY,
        NOT_READY,
        UNREACHABLE
    }

    public VerifyReport {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(verdict, "verdict");
        folders = List.copyOf(folders);
        moves = List.copyOf(moves);
    }

    /** Totals ({@link #deletedOnTarget}, {@link #datesNotKept}) are summed from the folders. */
    public VerifyReport(
            String address, Verdict verdict, String reason, List<FolderVerdict> folders, List<FolderMove> moves) {
        this(
                address,
                verdict,
                reason,
                folders,
                moves,
                folders.stream().mapToLong(FolderVerdict::deletedOnTarget).sum(),
                folders.stream().mapToLong(f -> f.datesNotKept().size()).sum());
    }

    public VerifyReport(String address, Verdict verdict, String reason, List<FolderVerdict> folders) {
        this(address, verdict, reason, folders, List.of());
    }

    public List<Missing> missing() {
        return folders.stream().flatMap(f -> f.missing().stream()).toList();
    }
}
