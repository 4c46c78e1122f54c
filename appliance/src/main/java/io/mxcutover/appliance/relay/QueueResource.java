package io.mxcutover.appliance.relay;

import io.dropwizard.auth.Auth;
import io.mxcutover.appliance.ApiError;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.relay.schedule.QueueOperations;
import io.mxcutover.relay.schedule.QueuedMessage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code /api/v1/queue}: the relay queue. Reads (operator): the list, one message. Actions
 * (admin, audited): retry now, hold, release, delete. 404 for an unknown queue id, 503 while the
 * relay is disabled or not started.
 */
@Path("/v1/queue")
@Produces(MediaType.APPLICATION_JSON)
public final class QueueResource {

    private final Supplier<Optional<QueueOperations>> queue;
    private final AuditLog audit;

    public QueueResource(Supplier<Optional<QueueOperations>> queue, AuditLog audit) {
        this.queue = queue;
        this.audit = audit;
    }

    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public List<QueuedMessage> list() {
        return queue().list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public QueuedMessage show(@PathParam("id") String id) {
        return queue().show(id).orElseThrow(() -> notFound(id));
    }

    @POST
    @Path("/{id}/retry")
    @RolesAllowed(Role.ADMIN_NAME)
    public QueuedMessage retry(@Auth ApiUser user, @PathParam("id") String id) {
        return act(user, id, "queue.retry", q -> q.retryNow(id));
    }

    @POST
    @Path("/{id}/hold")
    @RolesAllowed(Role.ADMIN_NAME)
    public QueuedMessage hold(@Auth ApiUser user, @PathParam("id") String id) {
        return act(user, id, "queue.hold", q -> q.hold(id));
    }

    @POST
    @Path("/{id}/release")
    @RolesAllowed(Role.ADMIN_NAME)
    public QueuedMessage release(@Auth ApiUser user, @PathParam("id") String id) {
        return act(user, id, "queue.release", q -> q.release(id));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response delete(@Auth ApiUser user, @PathParam("id") String id) {
        QueueOperations q = queue();
        QueuedMessage m = q.show(id).orElseThrow(() -> notFound(id));
        if (!q.delete(id)) {
            throw notFound(id);
        }
        audit.record(
                user.name(),
                Optional.empty(),
                "queue.delete",
                "deleted without delivery or bounce",
                m.id() + " from=<" + m.sender() + "> to=" + m.recipients());
        return Response.noContent().build();
    }

    private QueuedMessage act(ApiUser user, String id, String action, Predicate<QueueOperations> op) {
        QueueOperations q = queue();
        QueuedMessage before = q.show(id).orElseThrow(() -> notFound(id));
        if (!op.test(q)) {
            throw new WebApplicationException(Response.status(409)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(
                            "queue id " + id + " is not in a state that allows " + action
                                    + " (e.g. release needs a held message, retry a message not on hold)",
                            List.of()))
                    .build());
        }
        audit.record(user.name(), Optional.empty(), action, "requested through the API", id);
        // A retried message may already be delivered and gone: show what it was.
        return q.show(id).orElse(before);
    }

    private QueueOperations queue() {
        return queue.get()
                .orElseThrow(() -> new WebApplicationException(Response.status(503)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ApiError(
                                "the relay is not running", List.of("set relay.enabled: true and restart")))
                        .build()));
    }

    private static WebApplicationException notFound(String id) {
        return new WebApplicationException(Response.status(404)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(
                        "no message with queue id " + id + " in the relay queue",
                        List.of("GET /api/v1/queue lists the queued messages")))
                .build());
    }
}
