package io.mxcutover.appliance.inventory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.auth.Auth;
import io.mxcutover.appliance.ApiError;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.appliance.sync.SyncManaged;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /api/v1/domains/{domain}/inventory}: what the domain's mailboxes hold on legacy and how long their copy
 * should take, before anything is copied. {@code POST} (admin, audited) starts it in the background and answers
 * 202 with its progress (a run already going is returned instead of a second one); {@code GET} (operator) shows
 * the newest run: progress (mailboxes done of total), the stored report when done, and the estimate against the
 * real history copy once the sync has made it; {@code ?format=csv}: the report, one row per folder.
 *
 * <p>The class's path is the whole endpoint's: a resource at {@code /v1/domains/{domain}} with only sub-resource
 * methods would take every request for that path away from the cutover's resource (JAX-RS picks one root
 * resource class per request by its path alone).
 */
@Path("/v1/domains/{domain}/inventory")
public final class InventoryResource {
    private final InventoryJobs jobs;
    private final SyncManaged sync;
    private final AuditLog audit;

    public InventoryResource(InventoryJobs jobs, SyncManaged sync, AuditLog audit) {
        this.jobs = jobs;
        this.sync = sync;
        this.audit = audit;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response start(@Auth ApiUser user, @PathParam("domain") String domain) {
        String d = planned(domain);
        ObjectNode view = jobs.start(d, user.name())
                .orElseThrow(() -> new WebApplicationException(Response.status(409)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ApiError(
                                "the plan has no legacy.imap and new.imap for " + d
                                        + ", so there is nothing to take stock of",
                                List.of("add both IMAP servers to the domain in the plan")))
                        .build()));
        audit.record(
                user.name(),
                Optional.of(d),
                "domain.inventory",
                "requested through the API",
                view.path("run").path("mailboxesTotal").asInt() + " mailbox(es), started "
                        + view.path("run").path("startedAt").asText());
        return Response.status(202)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(view)
                .build();
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response show(
            @PathParam("domain") String domain, @QueryParam("format") @DefaultValue("json") String format) {
        String d = planned(domain);
        ObjectNode view = jobs.view(d);
        return switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> Response.ok(view, MediaType.APPLICATION_JSON_TYPE).build();
            case "csv" -> {
                if (view.path("report").isMissingNode() || view.path("report").isNull()) {
                    throw new WebApplicationException(Response.status(404)
                            .type(MediaType.APPLICATION_JSON_TYPE)
                            .entity(new ApiError(
                                    "no finished inventory of " + d,
                                    List.of("POST /api/v1/domains/" + d
                                            + "/inventory starts one; GET .../inventory shows its progress")))
                            .build());
                }
                yield Response.ok(InventoryCsvView.of(view.path("report")), "text/csv; charset=UTF-8")
                        .header("Content-Disposition", "attachment; filename=\"" + d + "-inventory.csv\"")
                        .build();
            }
            default ->
                throw new WebApplicationException(Response.status(422)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ApiError(
                                "unknown inventory format '" + format + "'",
                                List.of("use ?format=json or ?format=csv")))
                        .build());
        };
    }

    private String planned(String domain) {
        String d = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        if (!sync.planned(d)) {
            throw new WebApplicationException(Response.status(404)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(
                            "domain " + d + " is not in the migration plan",
                            List.of("GET /api/v1/plan lists the planned domains")))
                    .build());
        }
        return d;
    }
}
