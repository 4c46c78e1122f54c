package io.mxcutover.appliance.probe;

import io.dropwizard.auth.Auth;
import io.mxcutover.appliance.ApiError;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.CutoverService;
import io.mxcutover.appliance.plan.DomainPlan;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * {@code POST /api/v1/domains/{domain}/probes} (admin): runs the post-cutover probes now, in the background,
 * and answers 202 with the run (state {@code running}); {@code GET /api/v1/domains/{domain}} shows it when
 * done. Asking while a run is going returns that run. 409 before the cutover: the relay still delivers to
 * legacy, so the send/receive test would only show that.
 */
@Path("/v1/domains/{domain}/probes")
@Produces(MediaType.APPLICATION_JSON)
public final class ProbeResource {

    private final CutoverService service;
    private final PostCutoverProbes probes;

    public ProbeResource(CutoverService service, PostCutoverProbes probes) {
        this.service = service;
        this.probes = probes;
    }

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    public Response run(@Auth ApiUser user, @PathParam("domain") String domain) {
        DomainPlan d = service.planned(domain)
                .orElseThrow(() -> new WebApplicationException(Response.status(404)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ApiError(
                                "domain " + domain + " is not in the migration plan",
                                List.of("domains in the plan: " + String.join(", ", service.domainNames()))))
                        .build()));
        CutoverPhase phase = service.phase(d);
        if (phase == CutoverPhase.RELAYING) {
            return Response.status(409)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(
                            d.name()
                                    + " is not cut over: the relay still delivers to the legacy server, so the probes of the"
                                    + " new server would prove nothing",
                            List.of(
                                    "phase: " + phase,
                                    "cut over first (POST /api/v1/domains/" + d.name()
                                            + "/cutover); the probes then run by" + " themselves")))
                    .build();
        }
        return Response.status(202)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(probes.start(d, user.name()))
                .build();
    }
}
