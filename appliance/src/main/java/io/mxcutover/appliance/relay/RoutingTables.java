package io.mxcutover.appliance.relay;

import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Builds the relay's routing table from the plan and the domains' phases. Pure. */
public final class RoutingTables {

    private RoutingTables() {}

    public static RoutingTable from(MigrationPlan plan, Function<String, CutoverPhase> phaseOf) {
        // A domain never transitioned is RELAYING (DomainPhases says so too).
        return RoutingTable.of(plan.domains().stream()
                .map(d ->
                        route(d, java.util.Objects.requireNonNullElse(phaseOf.apply(d.name()), CutoverPhase.RELAYING)))
                .toList());
    }

    static DomainRoute route(DomainPlan d, CutoverPhase phase) {
        List<NextHop> legacy = d.legacy().smtp().stream()
                .map(h -> new NextHop(h.host(), h.port()))
                .toList();
        List<NextHop> next = d.target().smtp().stream()
                .map(h -> new NextHop(h.host(), h.port()))
                .toList();
        Optional<Set<String>> recipients =
                d.recipients().isEmpty() ? Optional.empty() : Optional.of(Set.copyOf(d.recipients()));
        // Soft bounce protects mail from a legacy server being decommissioned; after go-live a 5xx
        // from the new server is its final word.
        boolean softBounce = d.softBounce() && !phase.routesToNew();
        return new DomainRoute(
                d.name(), d.includeSubdomains(), phase.routesToNew(), legacy, next, recipients, softBounce);
    }
}
