package io.mxcutover.appliance.status;

import io.mxcutover.appliance.auth.Role;
import io.mxcutover.appliance.cluster.ClusterNode;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.plan.PlanProblem;
import io.mxcutover.appliance.plan.PlanWatcher;
import io.mxcutover.appliance.store.DomainPhases;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/status}: version, uptime, each plan domain with its phase, what listens where, and the nodes
 * sharing the store ({@code GET /api/v1/nodes}).
 */
@Path("/v1/status")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.OPERATOR_NAME)
public final class StatusResource {
    public record DomainStatus(String name, CutoverPhase phase) {}

    public record PlanStatus(String file, List<String> refusedEdit) {}

    public record Status(
            String version,
            Instant startedAt,
            long uptimeSeconds,
            List<DomainStatus> domains,
            Map<String, Listeners.Address> listeners,
            PlanStatus plan,
            String node,
            List<ClusterNode> nodes) {}

    private final String version;
    private final Instant startedAt;
    private final Clock clock;
    private final PlanWatcher plan;
    private final DomainPhases phases;
    private final Listeners listeners;
    private final String node;
    private final Supplier<List<ClusterNode>> nodes;

    public StatusResource(
            String version,
            Clock clock,
            PlanWatcher plan,
            DomainPhases phases,
            Listeners listeners,
            String node,
            Supplier<List<ClusterNode>> nodes) {
        this.node = node;
        this.nodes = nodes;
        this.version = version;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.plan = plan;
        this.phases = phases;
        this.listeners = listeners;
    }

    @GET
    public Status status() {
        Map<String, CutoverPhase> stored = phases.all();
        List<DomainStatus> domains = plan.current().domainNames().stream()
                .map(d -> new DomainStatus(d, stored.getOrDefault(d, CutoverPhase.RELAYING)))
                .toList();
        List<String> refused =
                plan.lastRefused().stream().map(PlanProblem::toString).toList();
        return new Status(
                version,
                startedAt,
                Duration.between(startedAt, clock.instant()).toSeconds(),
                domains,
                listeners.all(),
                new PlanStatus(plan.file().toString(), refused),
                node,
                nodes.get());
    }
}
