package io.mxcutover.dnscheck.probe;

import java.util.Objects;

/** What a validating resolver made of the zone. Reported, never required. */
public record DnssecStatus(Status status, String detail) {

    public enum Status {
        /** The answer validated from the trust anchor (AD set). */
        SECURE,
        /** No chain of trust covers the zone (unsigned): nothing to break. */
        INSECURE,
        /** Validation failed: receivers with validating resolvers get SERVFAIL for the MX. */
        BOGUS,
        /** The check itself failed (resolver unreachable). */
        UNKNOWN
    }

    public DnssecStatus {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }
}
