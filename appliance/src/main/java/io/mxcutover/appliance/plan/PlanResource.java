package io.mxcutover.appliance.plan;

import io.dropwizard.auth.Auth;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

/** {@code /api/v1/plan}: the plan in force (operator) and an immediate re-read of the file (admin). */
@Path("/v1/plan")
@Produces(MediaType.APPLICATION_JSON)
public final class PlanResource {
    public record PlanView(
            String file,
            String fingerprint,
            List<String> domains,
            String catchUpWindow,
            String quietPeriod,
            List<String> refusedEdit) {}

    private final PlanWatcher watcher;
    private final AuditLog audit;

    public PlanResource(PlanWatcher watcher, AuditLog audit) {
        this.watcher = watcher;
        this.audit = audit;
    }

    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public PlanView plan() {
        MigrationPlan p = watcher.current();
        return new PlanView(
                p.file().toString(),
                p.fingerprint(),
                p.domainNames(),
                p.catchUpWindow().toString(),
                p.quietPeriod().toString(),
                watcher.lastRefused().stream().map(PlanProblem::toString).toList());
    }

    /** Re-reads the plan now; 422 with every problem when the file is refused (the old plan stays). */
    @POST
    @Path("/reload")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response reload(@Auth ApiUser user) {
        List<PlanProblem> problems = watcher.reload();
        audit.record(
                user.name(),
                Optional.empty(),
                "plan.reload",
                problems.isEmpty() ? "reload requested" : "reload refused",
                String.valueOf(problems.size()) + " problem(s)");
        if (!problems.isEmpty()) {
            return Response.status(422)
                    .entity(new io.mxcutover.appliance.ApiError(
                            "the plan file was refused; the previous plan stays in force",
                            problems.stream().map(PlanProblem::toString).toList()))
                    .build();
        }
        return Response.ok(plan()).build();
    }
}
