package io.mxcutover.appliance.cutover;

import io.mxcutover.appliance.readiness.Check;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored cutover of a domain: who, when, why, the preflight at that moment, and the final pass once
 * it ran. The window's overrides and the final report hang off {@link #id}.
 *
 * @param copiedBefore the sync's messages copied for the domain at cutover (for "caught up after cutover")
 */
public record CutoverRecord(
        String id,
        String domain,
        Instant at,
        String actor,
        String reason,
        boolean forced,
        List<Check> readiness,
        long copiedBefore,
        Optional<Instant> finalPassAt,
        List<FinalPass> finalPass) {
    public CutoverRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(at, "at");
        readiness = List.copyOf(readiness);
        Objects.requireNonNull(finalPassAt, "finalPassAt");
        finalPass = List.copyOf(finalPass);
    }
}
