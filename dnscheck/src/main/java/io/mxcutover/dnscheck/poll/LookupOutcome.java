package io.mxcutover.dnscheck.poll;

import java.util.List;
import java.util.Objects;

/**
 * What one query returned. Each failure is its own case because an admin fixes them
 * differently: SERVFAIL (broken zone, DNSSEC bogus, dead upstream), REFUSED (server does not
 * serve the zone, ACL), timeout (server or firewall down), network error (anything else that
 * gave no usable answer: I/O error, malformed reply, unexpected rcode).
 */
public sealed interface LookupOutcome {

    /** Short upper-case name, as stored and printed: NOERROR, NODATA, NXDOMAIN, ... */
    String code();

    /** True when the server gave an answer about the name (positive or negative). */
    default boolean answered() {
        return this instanceof NoError || this instanceof NoData || this instanceof NxDomain;
    }

    /**
     * NOERROR with records of the asked type. {@code answers} in presentation form
     * ({@code "10 mx.example.com"} for MX, the concatenated text for TXT);
     * {@code ttl} the smallest TTL of the set, i.e. the remaining cache time on a resolver.
     */
    record NoError(List<String> answers, long ttl) implements LookupOutcome {
        public NoError {
            answers = List.copyOf(Objects.requireNonNull(answers, "answers"));
            if (answers.isEmpty()) {
                throw new IllegalArgumentException("NOERROR with no answer is NODATA");
            }
            requireTtl(ttl);
        }

        @Override
        public String code() {
            return "NOERROR";
        }
    }

    /** The name exists but has no record of that type; {@code negativeTtl} = min(SOA TTL, SOA MINIMUM). */
    record NoData(long negativeTtl) implements LookupOutcome {
        public NoData {
            requireTtl(negativeTtl);
        }

        @Override
        public String code() {
            return "NODATA";
        }
    }

    /** The name does not exist; {@code negativeTtl} = min(SOA TTL, SOA MINIMUM). */
    record NxDomain(long negativeTtl) implements LookupOutcome {
        public NxDomain {
            requireTtl(negativeTtl);
        }

        @Override
        public String code() {
            return "NXDOMAIN";
        }
    }

    record ServFail() implements LookupOutcome {
        @Override
        public String code() {
            return "SERVFAIL";
        }
    }

    record Refused() implements LookupOutcome {
        @Override
        public String code() {
            return "REFUSED";
        }
    }

    record Timeout() implements LookupOutcome {
        @Override
        public String code() {
            return "TIMEOUT";
        }
    }

    record NetworkError(String detail) implements LookupOutcome {
        public NetworkError {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String code() {
            return "NETWORK_ERROR";
        }
    }

    private static void requireTtl(long ttl) {
        if (ttl < 0 || ttl > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("TTL must be 0..2^32-1, got " + ttl);
        }
    }
}
