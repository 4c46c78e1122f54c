package io.mxcutover.appliance.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Auth;
import io.mxcutover.appliance.ApiError;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.sync.batch.BatchState;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@code /api/v1/domains/{domain}/batches}: a domain's batches. Reads (operator): the list (summaries), one
 * batch's report with its mailboxes (JSON, or CSV at {@code /report.csv}). Actions (admin, audited):
 * {@code start}, {@code pause}, {@code resume}, {@code complete} (202: the final pass runs in the background;
 * the report shows it running, then done with "N additional messages" per mailbox), and {@code mailboxes}
 * (put mailboxes of the plan into the batch, created when new). Body of an action: optional
 * {@code {"reason": "..."}} for the audit log. A command the batch's state does not allow is a 409 that says why.
 */
@Path("/v1/domains/{domain}/batches")
@Produces(MediaType.APPLICATION_JSON)
public final class BatchResource {
    private final Batches batches;
    private final ObjectMapper json = new ObjectMapper();

    public BatchResource(Batches batches) {
        this.batches = batches;
    }

    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public List<BatchReport> list(@PathParam("domain") String domain) {
        return batches.list(domain);
    }

    @GET
    @Path("/{batch}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public BatchReport show(@PathParam("domain") String domain, @PathParam("batch") String batch) {
        return batches.report(domain, batch).orElseThrow(() -> notFound(domain, batch));
    }

    @GET
    @Path("/{batch}/report.csv")
    @Produces("text/csv")
    @RolesAllowed(Role.OPERATOR_NAME)
    public String csv(@PathParam("domain") String domain, @PathParam("batch") String batch) throws IOException {
        StringWriter w = new StringWriter();
        BatchReportCsv.write(show(domain, batch), w);
        return w.toString();
    }

    @POST
    @Path("/{batch}/start")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response start(
            @Auth ApiUser user, @PathParam("domain") String domain, @PathParam("batch") String batch, String body) {
        return command(user, domain, batch, BatchState.Command.START, body);
    }

    @POST
    @Path("/{batch}/pause")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response pause(
            @Auth ApiUser user, @PathParam("domain") String domain, @PathParam("batch") String batch, String body) {
        return command(user, domain, batch, BatchState.Command.PAUSE, body);
    }

    @POST
    @Path("/{batch}/resume")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response resume(
            @Auth ApiUser user, @PathParam("domain") String domain, @PathParam("batch") String batch, String body) {
        return command(user, domain, batch, BatchState.Command.RESUME, body);
    }

    @POST
    @Path("/{batch}/complete")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response complete(
            @Auth ApiUser user, @PathParam("domain") String domain, @PathParam("batch") String batch, String body) {
        return command(user, domain, batch, BatchState.Command.COMPLETE, body);
    }

    /** Body {@code {"mailboxes": ["anna@example.org", ...]}}: those mailboxes move into the batch. */
    @POST
    @Path("/{batch}/mailboxes")
    @RolesAllowed(Role.ADMIN_NAME)
    public Batches.CommandResult assign(
            @Auth ApiUser user, @PathParam("domain") String domain, @PathParam("batch") String batch, String body) {
        List<String> addresses = new ArrayList<>();
        JsonNode list = parse(body).path("mailboxes");
        if (!list.isArray()) {
            throw error(422, "the body must be {\"mailboxes\": [\"anna@" + domain + "\", ...]}");
        }
        list.forEach(n -> addresses.add(n.asText()));
        try {
            return batches.assign(domain, batch, addresses, user.name());
        } catch (IllegalArgumentException e) {
            throw error(422, e.getMessage() + "; nothing was changed");
        }
    }

    private Response command(ApiUser user, String domain, String batch, BatchState.Command command, String body) {
        String reason = parse(body).path("reason").asText("");
        try {
            Batches.CommandResult r = batches.command(domain, batch, command, user.name(), reason);
            return Response.status(command == BatchState.Command.COMPLETE && r.changed() ? 202 : 200)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(r)
                    .build();
        } catch (NoSuchElementException e) {
            throw notFound(domain, batch);
        } catch (BatchRefused e) {
            throw error(409, e.getMessage());
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw error(400, "the body is not JSON: " + e.getMessage());
        }
    }

    private static WebApplicationException notFound(String domain, String batch) {
        return new WebApplicationException(Response.status(404)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(
                        "domain " + domain + " has no batch " + batch,
                        List.of(
                                "import the mailbox list with a batch column, or POST {\"mailboxes\": [...]} to /api/v1/domains/"
                                        + domain + "/batches/" + batch + "/mailboxes")))
                .build());
    }

    private static WebApplicationException error(int status, String message) {
        return new WebApplicationException(Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(message, List.of()))
                .build());
    }
}
