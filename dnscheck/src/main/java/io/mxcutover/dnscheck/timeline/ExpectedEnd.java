package io.mxcutover.dnscheck.timeline;

import java.time.Instant;
import java.util.Objects;

/**
 * When the last cache may still hand out the old MX, and what that estimate rests on.
 */
public record ExpectedEnd(Instant at, Basis basis, long ttlSeconds) {

    public enum Basis {
        /** Switch time + the largest TTL of the old MX record seen. */
        OLD_RECORD_TTL,
        /** The domain had no MX before: switch time + the SOA negative-caching TTL seen. */
        NEGATIVE_TTL,
        /** No answer from before the switch was ever seen: the new record's TTL is taken as a stand-in. */
        ASSUMED_FROM_NEW_TTL
    }

    public ExpectedEnd {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(basis, "basis");
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("ttlSeconds must not be negative");
        }
    }
}
