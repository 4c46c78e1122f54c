package io.mxcutover.appliance.hook;

import io.mxcutover.appliance.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/hooks/runs} (operator): the newest hook runs, with outcome, exit code and the start of the
 * output; {@code ?domain=}, {@code ?batch=}, {@code ?failed=true} (only those that did not exit 0),
 * {@code ?limit=} (at most 1000, default 100).
 */
@Path("/v1/hooks/runs")
@Produces(MediaType.APPLICATION_JSON)
public final class HookResource {
    private final HookRuns runs;

    public HookResource(HookRuns runs) {
        this.runs = runs;
    }

    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public List<HookRuns.Stored> list(
            @QueryParam("domain") String domain,
            @QueryParam("batch") String batch,
            @QueryParam("failed") @DefaultValue("false") boolean failed,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return runs.recent(
                Optional.ofNullable(domain).filter(d -> !d.isBlank()).map(String::toLowerCase),
                Optional.ofNullable(batch).filter(b -> !b.isBlank()).map(String::toLowerCase),
                failed,
                Math.max(1, Math.min(1000, limit)));
    }
}
