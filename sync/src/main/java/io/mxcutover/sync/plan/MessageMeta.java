package io.mxcutover.sync.plan;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One message as the metadata FETCH saw it: UID, identity, flags and keywords (without
 * {@code \Recent}, which no client may set) and, with CONDSTORE, its MODSEQ (else 0).
 */
public record MessageMeta(long uid, Identity identity, Set<String> flags, long modseq) {
    public MessageMeta {
        Objects.requireNonNull(identity, "identity");
        if (uid <= 0) {
            throw new IllegalArgumentException("UID must be positive: " + uid);
        }
        TreeSet<String> clean = new TreeSet<>(flags == null ? Set.of() : flags);
        clean.removeIf(f -> f.equalsIgnoreCase("\\Recent"));
        flags = java.util.Collections.unmodifiableSortedSet(clean);
    }
}
