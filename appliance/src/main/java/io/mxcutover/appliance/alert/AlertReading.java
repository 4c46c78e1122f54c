package io.mxcutover.appliance.alert;

import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.facts.DnsVerdict;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the watcher read at one time: each domain's state as far as alerts care, and the relay's bounce
 * counter (over every domain, since the appliance started).
 */
public record AlertReading(Instant at, List<Domain> domains, long bounced) {
    public AlertReading {
        Objects.requireNonNull(at, "at");
        domains = List.copyOf(domains);
    }

    /**
     * One domain.
     *
     * @param ready the live readiness verdict; empty when not evaluated (the domain is cut over already)
     * @param failing the names of the failing checks, for the alert's words
     * @param oldestQueued when the oldest message queued for the domain was accepted
     * @param windowClosesAt when the catch-up window closes, when known
     */
    public record Domain(
            String domain,
            CutoverPhase phase,
            Optional<Boolean> ready,
            List<String> failing,
            DnsVerdict dns,
            Optional<Instant> oldestQueued,
            Optional<Instant> windowClosesAt) {
        public Domain {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(ready, "ready");
            failing = List.copyOf(failing);
            Objects.requireNonNull(dns, "dns");
            Objects.requireNonNull(oldestQueued, "oldestQueued");
            Objects.requireNonNull(windowClosesAt, "windowClosesAt");
        }
    }

    Optional<Domain> domain(String name) {
        return domains.stream().filter(d -> d.domain().equals(name)).findFirst();
    }
}
