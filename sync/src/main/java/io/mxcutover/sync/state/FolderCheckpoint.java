package io.mxcutover.sync.state;

import java.util.Objects;

/**
 * Where the last pass over a folder left both sides. When a new STATUS of both sides equals
 * this (and the pass was complete), nothing changed and the folder is skipped without a FETCH:
 * that is what makes a re-run with nothing new take well under a second.
 */
public record FolderCheckpoint(
        String sourceFolder, String targetFolder, SideStatus source, SideStatus target, boolean complete) {
    /** STATUS (UIDVALIDITY UIDNEXT MESSAGES HIGHESTMODSEQ) of one folder; modseq 0 without CONDSTORE. */
    public record SideStatus(long uidValidity, long uidNext, long messages, long highestModSeq) {}

    public FolderCheckpoint {
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        Objects.requireNonNull(targetFolder, "targetFolder");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }
}
