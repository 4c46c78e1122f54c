package io.mxcutover.appliance.cluster;

import io.mxcutover.appliance.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/v1/nodes}: every node registered in the store, alive or not, with the sync leases it holds. */
@Path("/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.OPERATOR_NAME)
public final class NodesResource {
    private final NodeRegistry registry;

    public NodesResource(NodeRegistry registry) {
        this.registry = registry;
    }

    @GET
    public List<ClusterNode> nodes() {
        return registry.nodes();
    }
}
