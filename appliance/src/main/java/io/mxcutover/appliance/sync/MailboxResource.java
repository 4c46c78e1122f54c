package io.mxcutover.appliance.sync;

import io.dropwizard.auth.Auth;
import io.mxcutover.appliance.ApiError;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.sync.mailbox.InvalidMailboxList;
import io.mxcutover.sync.report.MailboxReport;
import io.mxcutover.sync.report.SyncReport;
import io.mxcutover.sync.report.SyncReportCsv;
import io.mxcutover.sync.verify.VerifyReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/mailboxes}: the mailboxes the sync copies. Reads (operator): the report with
 * every mailbox (JSON, or CSV at {@code /report.csv}), one mailbox's detail (per-folder progress,
 * failures with the server's words). Actions (admin, audited): import a mailbox list (CSV body; all or
 * nothing: any problem is a 422 listing every problem by line, with the fix, and nothing is stored),
 * sync one mailbox now, verify one mailbox. Credentials are never returned.
 */
@Path("/v1/mailboxes")
@Produces(MediaType.APPLICATION_JSON)
public final class MailboxResource {
    private static final String FORMAT = "format: header address,legacy_login,legacy_password,new_login,new_password"
            + " (optional legacy_auth,new_auth,batch), one mailbox per row, every address in a domain of the plan;"
            + " or one user:password:address per line";
    private final SyncManaged sync;
    private final AuditLog audit;

    public MailboxResource(SyncManaged sync, AuditLog audit) {
        this.sync = sync;
        this.audit = audit;
    }

    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public SyncReport list() {
        return sync.report();
    }

    @GET
    @Path("/report.csv")
    @Produces("text/csv")
    @RolesAllowed(Role.OPERATOR_NAME)
    public String csv() throws IOException {
        StringWriter w = new StringWriter();
        SyncReportCsv.write(sync.report(), w);
        return w.toString();
    }

    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @RolesAllowed(Role.ADMIN_NAME)
    public Map<String, Object> importCsv(@Auth ApiUser user, String body) {
        try {
            List<String> addresses = sync.importCsv(new StringReader(body == null ? "" : body));
            audit.record(
                    user.name(),
                    Optional.empty(),
                    "mailboxes.import",
                    "mailbox list imported through the API",
                    addresses.size() + " mailbox(es): "
                            + String.join(", ", addresses.subList(0, Math.min(20, addresses.size())))
                            + (addresses.size() > 20 ? ", ..." : ""));
            return Map.of("imported", addresses.size(), "mailboxes", addresses);
        } catch (InvalidMailboxList e) {
            List<String> details = new java.util.ArrayList<>(
                    e.problems().stream().map(Object::toString).toList());
            details.add(FORMAT);
            throw new WebApplicationException(Response.status(422)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(
                            "the mailbox list has " + e.problems().size() + " problem(s); nothing was imported",
                            details))
                    .build());
        } catch (IllegalArgumentException | IOException e) {
            throw new WebApplicationException(Response.status(422)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(e.getMessage() + "; nothing was imported", List.of(FORMAT)))
                    .build());
        }
    }

    @GET
    @Path("/{address}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public MailboxReport show(@PathParam("address") String address) {
        return sync.mailbox(address).orElseThrow(() -> notFound(address));
    }

    @POST
    @Path("/{address}/sync")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response syncNow(@Auth ApiUser user, @PathParam("address") String address) {
        if (sync.mailbox(address).isEmpty()) {
            throw notFound(address);
        }
        try {
            if (sync.syncNow(address).isEmpty()) {
                throw noServers(address);
            }
        } catch (IllegalStateException e) {
            throw new WebApplicationException(Response.status(409)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(e.getMessage(), List.of()))
                    .build());
        }
        audit.record(
                user.name(),
                Optional.of(SyncManaged.domainOf(address)),
                "mailbox.sync",
                "requested through the API",
                address);
        return Response.accepted(Map.of("mailbox", address, "status", "sync started"))
                .build();
    }

    @POST
    @Path("/{address}/verify")
    @RolesAllowed(Role.ADMIN_NAME)
    public VerifyReport verify(@Auth ApiUser user, @PathParam("address") String address) {
        if (sync.mailbox(address).isEmpty()) {
            throw notFound(address);
        }
        VerifyReport r = sync.verify(address, user.name()).orElseThrow(() -> noServers(address));
        audit.record(
                user.name(),
                Optional.of(SyncManaged.domainOf(address)),
                "mailbox.verify",
                r.verdict().name(),
                address);
        return r;
    }

    @GET
    @Path("/{address}/verify")
    @RolesAllowed(Role.OPERATOR_NAME)
    public StoredVerification storedVerification(@PathParam("address") String address) {
        if (sync.mailbox(address).isEmpty()) {
            throw notFound(address);
        }
        return sync.storedVerification(address)
                .orElseThrow(() -> new WebApplicationException(Response.status(404)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ApiError(
                                "mailbox " + address + " was never verified",
                                List.of("POST /api/v1/mailboxes/" + address
                                        + "/verify, or POST /api/v1/domains/{domain}/verify"
                                        + " for every mailbox of its domain")))
                        .build()));
    }

    private static WebApplicationException notFound(String address) {
        return new WebApplicationException(Response.status(404)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(
                        "mailbox " + address + " is not in the sync plan",
                        List.of("POST a mailbox list to /api/v1/mailboxes first")))
                .build());
    }

    private static WebApplicationException noServers(String address) {
        return new WebApplicationException(Response.status(409)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(
                        "no sync runs for the domain of " + address,
                        List.of(
                                "add both IMAP servers (legacy.imap, new.imap) to the domain in the plan",
                                "if it has both: a master user shared by several servers stops the sync;"
                                        + " ./mxcutover check names it")))
                .build());
    }
}
