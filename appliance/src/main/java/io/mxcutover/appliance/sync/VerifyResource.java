package io.mxcutover.appliance.sync;

import io.dropwizard.auth.Auth;
import io.mxcutover.appliance.ApiError;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/domains/{domain}/verify}: verify every mailbox of a domain in one call. {@code POST} (admin,
 * audited) starts it in the background and answers 202 with its progress (a run already going is returned
 * instead of a second one); {@code GET} (operator) shows the progress of the newest run (mailboxes done of
 * total, started, finished) and every mailbox's stored verification, which is what the readiness gate reads.
 */
@Path("/v1/domains/{domain}/verify")
@Produces(MediaType.APPLICATION_JSON)
public final class VerifyResource {
    private final SyncManaged sync;
    private final AuditLog audit;

    public VerifyResource(SyncManaged sync, AuditLog audit) {
        this.sync = sync;
        this.audit = audit;
    }

    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    public Response start(@Auth ApiUser user, @PathParam("domain") String domain) {
        String d = planned(domain);
        VerifyJob job = sync.verifyDomain(d, user.name())
                .orElseThrow(() -> new WebApplicationException(Response.status(409)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ApiError(
                                "the plan has no legacy.imap and new.imap for " + d + ", so there is nothing to verify",
                                List.of("add both IMAP servers to the domain in the plan")))
                        .build()));
        audit.record(
                user.name(),
                Optional.of(d),
                "domain.verify",
                "requested through the API",
                job.mailboxesTotal() + " mailbox(es), started " + job.startedAt());
        return Response.status(202)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(view(d, job))
                .build();
    }

    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public Map<String, Object> show(@PathParam("domain") String domain) {
        String d = planned(domain);
        return view(d, sync.verifyJob(d).orElse(null));
    }

    private Map<String, Object> view(String domain, VerifyJob job) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("domain", domain);
        out.put("run", job);
        out.put("mailboxes", sync.storedVerifications(domain));
        return out;
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
