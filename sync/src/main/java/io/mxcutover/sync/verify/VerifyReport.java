package io.mxcutover.sync.verify;

import java.util.List;
import java.util.Objects;

/**
 * The readiness verdict for one mailbox that the cutover gates on: READY when every source
 * message is on the target (or was deliberately deleted there after its copy) and every
 * compared content hash matches; NOT_READY otherwise, with the list of what is missing and why;
 * UNREACHABLE when a server could not be asked.
 */
public record VerifyReport(String address, Verdict verdict, String reason, List<FolderVerdict> folders) {
    public enum Verdict { READY, NOT_READY, UNREACHABLE }

    public VerifyReport {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(verdict, "verdict");
        folders = List.copyOf(folders);
    }

    public List<Missing> missing() {
        return folders.stream().flatMap(f -> f.missing().stream()).toList();
    }
}
