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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code /api/v1/queue}: the relay queue. Reads (operator): the list (every node's, {@code node} on each entry), the
 * per-node summaries ({@code /nodes}), one message of this node. Actions
 * (admin, audited): retry now, hold, release, delete. 404 for an unknown queue id, 503 while the
 * relay is disabled or not started.
 */
@Path("/v1/queue")
@Produces(MediaType.APPLICATION_JSON)
public final class QueueResource {

    private final Supplier<Optional<QueueOperations>> queue;
    private final AuditLog audit;
    private final String node;
    private final Optional<NodeQueues> cluster;

    /** One node on its own (its id shown as {@code local}). */
    public QueueResource(Supplier<Optional<QueueOperations>> queue, AuditLog audit) {
        this(queue, audit, "local", Optional.empty());
    }

    /**
     * Node {@code node}'s queue API; with {@code cluster} (a PostgreSQL store) the list also shows the queues the
     * other nodes published.
     */
    public QueueResource(
            Supplier<Optional<QueueOperations>> queue, AuditLog audit, String node, Optional<NodeQueues> cluster) {
        this.queue = queue;
        this.audit = audit;
        this.node = node;
        this.cluster = cluster;
    }

    /**
     * One entry of the cluster's queue: this node's messages in full (as {@code GET /api/v1/queue/{id}} shows them),
     * the other nodes' deferred and held messages as they published them ({@code recipients} empty,
     * {@code recipientDomains} set; {@code sender}, {@code age}, {@code size} and {@code bounce} null).
     */
    public record NodeQueuedMessage(
            String node,
            boolean local,
            String id,
            String sender,
            List<String> recipients,
            List<String> recipientDomains,
            Instant arrival,
            Duration age,
            int attempts,
            Instant nextAttempt,
            String state,
            String lastReply,
            Long size,
            Boolean bounce) {

        static NodeQueuedMessage local(String node, QueuedMessage m) {
            return new NodeQueuedMessage(
                    node,
                    true,
                    m.id(),
                    m.sender(),
                    m.recipients(),
                    domainsOf(m.recipients()),
                    m.arrival(),
                    m.age(),
                    m.attempts(),
                    m.nextAttempt(),
                    m.state(),
                    m.lastReply(),
                    m.size(),
                    m.bounce());
        }

        static NodeQueuedMessage remote(String node, NodeQueues.Entry e) {
            return new NodeQueuedMessage(
                    node,
                    false,
                    e.id(),
                    null,
                    List.of(),
                    e.recipientDomains(),
                    e.arrival(),
                    null,
                    e.attempts(),
                    e.nextAttempt(),
                    e.state(),
                    e.lastReply(),
                    null,
                    null);
        }

        private static List<String> domainsOf(List<String> recipients) {
            return recipients.stream()
                    .map(r -> r.substring(r.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT))
                    .distinct()
                    .sorted()
                    .toList();
        }
    }

    /**
     * The queue of every node: this node's messages first (oldest first, in full), then each other node's
     * published deferred and held messages ({@code node} on each). 503 when this node's relay is not running and
     * no other node published a queue.
     */
    @GET
    @RolesAllowed(Role.OPERATOR_NAME)
    public List<NodeQueuedMessage> list() {
        Optional<QueueOperations> local = queue.get();
        List<NodeQueues.Summary> others = cluster.map(c -> c.others(node)).orElse(List.of());
        if (local.isEmpty() && others.isEmpty()) {
            throw notRunning();
        }
        List<NodeQueuedMessage> out = new ArrayList<>();
        local.ifPresent(q -> q.list().forEach(m -> out.add(NodeQueuedMessage.local(node, m))));
        for (NodeQueues.Summary s : others) {
            s.entries().forEach(e -> out.add(NodeQueuedMessage.remote(s.node(), e)));
        }
        return out;
    }

    /**
     * Per node: counts per queue directory, the oldest arrival, how many deferred or held messages its summary left
     * out; this node's live, the others' as published ({@code publishedAt}).
     */
    @GET
    @Path("/nodes")
    @RolesAllowed(Role.OPERATOR_NAME)
    public List<NodeQueues.Summary> nodes() {
        Optional<QueueOperations> local = queue.get();
        List<NodeQueues.Summary> others = cluster.map(c -> c.others(node)).orElse(List.of());
        if (local.isEmpty() && others.isEmpty()) {
            throw notRunning();
        }
        List<NodeQueues.Summary> out = new ArrayList<>();
        local.ifPresent(q -> out.add(cluster.map(c -> c.live(node, q.list()))
                .orElseGet(() -> NodeQueues.Summary.of(node, Instant.EPOCH, q.list()))));
        out.addAll(others);
        return out;
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
        return queue.get().orElseThrow(QueueResource::notRunning);
    }

    private static WebApplicationException notRunning() {
        return new WebApplicationException(Response.status(503)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("the relay is not running", List.of("set relay.enabled: true and restart")))
                .build());
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
