package io.mxcutover.appliance.facts;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The DNS watcher's findings for one domain, as the readiness check and the catch-up window use them.
 *
 * @param mxSwitchSeenAt first poll on which every authoritative server returned the new MX set
 * @param resolversConvergedAt first poll on which every watched resolver returned the new MX set
 * @param largestOldTtl the largest TTL seen on the old MX set
 * @param detail the watcher's own words, shown next to the verdict (may be empty)
 */
public record DnsFacts(
        DnsVerdict verdict,
        Optional<Instant> mxSwitchSeenAt,
        Optional<Instant> resolversConvergedAt,
        Duration largestOldTtl,
        String detail) {

    public static final DnsFacts UNKNOWN = new DnsFacts(
            DnsVerdict.UNKNOWN,
            Optional.empty(),
            Optional.empty(),
            Duration.ZERO,
            "the DNS watcher has not reported on this domain");

    public DnsFacts {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(mxSwitchSeenAt, "mxSwitchSeenAt");
        Objects.requireNonNull(resolversConvergedAt, "resolversConvergedAt");
        Objects.requireNonNull(largestOldTtl, "largestOldTtl");
        if (largestOldTtl.isNegative()) {
            throw new IllegalArgumentException("a TTL must not be negative, got " + largestOldTtl);
        }
        detail = detail == null ? "" : detail;
    }
}
