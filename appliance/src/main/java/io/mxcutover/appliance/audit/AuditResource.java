package io.mxcutover.appliance.audit;

import io.mxcutover.appliance.ApiError;
import io.mxcutover.appliance.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /api/v1/audit?domain=example.org&limit=100}: the audit log, newest first. A domain no longer
 * in the plan still has its history here.
 */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.OPERATOR_NAME)
public final class AuditResource {
    static final int MAX_LIMIT = 1000;

    public record Entries(Optional<String> domain, int limit, List<AuditEntry> entries) {}

    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public Entries entries(
            @QueryParam("domain") String domain, @QueryParam("limit") @DefaultValue("100") String limit) {
        int n;
        try {
            n = Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw new WebApplicationException(Response.status(422)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(
                            "limit '" + limit + "' is not a number from 1 to " + MAX_LIMIT,
                            List.of("use e.g. ?limit=100")))
                    .build());
        }
        Optional<String> d = Optional.ofNullable(domain)
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT));
        return new Entries(d, n, audit.recent(d, n));
    }
}
