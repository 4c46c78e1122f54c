package io.mxcutover.sync.plan;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state's memory of one source message: where it came from (UIDVALIDITY, UID), its
 * identity, where it went (target UIDVALIDITY and UID, 0 when unknown), the flags last set on
 * the target from the source ({@code syncedFlags}, the base of the three-way flag merge) and
 * whether the copy finished.
 */
public record CopyRecord(
        long sourceUidValidity,
        long sourceUid,
        Identity identity,
        long targetUidValidity,
        long targetUid,
        Set<String> syncedFlags,
        CopyState state) {
    public CopyRecord {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(state, "state");
        syncedFlags = java.util.Collections.unmodifiableSortedSet(
                new TreeSet<>(syncedFlags == null ? Set.of() : syncedFlags));
    }
}
