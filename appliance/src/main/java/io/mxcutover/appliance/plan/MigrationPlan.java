package io.mxcutover.appliance.plan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A validated migration plan: immutable, swapped as a whole when the file changes. */
public record MigrationPlan(
        Path file, String fingerprint, Duration catchUpWindow, Duration quietPeriod, List<DomainPlan> domains) {
    public MigrationPlan {
        domains = List.copyOf(domains);
    }

    public Optional<DomainPlan> domain(String name) {
        return domains.stream().filter(d -> d.name().equalsIgnoreCase(name)).findFirst();
    }

    public List<String> domainNames() {
        return domains.stream().map(DomainPlan::name).toList();
    }
}
