package io.mxcutover.dnscheck.poll;

import java.time.Duration;
import java.util.Objects;

/**
 * One query's result as received: the outcome, whether the AA flag was set, whether the UDP
 * answer was truncated and the query repeated over TCP, and the round-trip time (both
 * legs when retried).
 */
public record ServerReply(
        LookupOutcome outcome, boolean authoritativeAnswer, boolean retriedOverTcp, Duration latency) {

    public ServerReply {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
    }

    /** A reply built from an outcome alone (tests, failures before any packet was sent). */
    public static ServerReply of(LookupOutcome outcome) {
        return new ServerReply(outcome, false, false, Duration.ZERO);
    }
}
