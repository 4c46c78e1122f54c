package io.mxcutover.appliance.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreException;
import io.mxcutover.relay.schedule.QueuedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay queues of every node sharing the store (table {@code relay_node_queue}, appliance V9): each node keeps its
 * own spool on its own disk and publishes a bounded summary of it here; any node's {@code GET /api/v1/queue} reads
 * the others' summaries. The summary of a node that stopped stays as it last was (its {@code publishedAt} says how
 * old it is) until that node starts again and replaces it.
 */
public final class NodeQueues {
    private static final Logger LOG = LoggerFactory.getLogger(NodeQueues.class);

    /** The most entries a summary lists (the oldest first); the counts always cover the whole queue. */
    public static final int MAX_ENTRIES = 200;

    private static final ObjectMapper JSON = Jackson.newObjectMapper()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /**
     * One message of a node's summary: what another node needs to find and judge it (the recipients' domains, not
     * their addresses).
     */
    public record Entry(
            String id,
            List<String> recipientDomains,
            Instant arrival,
            int attempts,
            Instant nextAttempt,
            String state,
            String lastReply) {}

    /**
     * A node's queue as published.
     *
     * @param entries the deferred and held messages, oldest first, at most {@link #MAX_ENTRIES}
     * @param entriesLeftOut deferred and held messages not listed in {@code entries}
     */
    public record Summary(
            String node,
            Instant publishedAt,
            int incoming,
            int active,
            int deferred,
            int hold,
            Optional<Instant> oldest,
            List<Entry> entries,
            int entriesLeftOut) {

        /** The summary of {@code messages}, this node's queue now. */
        public static Summary of(String node, Instant at, List<QueuedMessage> messages) {
            List<QueuedMessage> waiting = messages.stream()
                    .filter(m -> m.state().equals("deferred") || m.state().equals("hold"))
                    .sorted(Comparator.comparing(QueuedMessage::arrival))
                    .toList();
            List<Entry> entries = waiting.stream()
                    .limit(MAX_ENTRIES)
                    .map(m -> new Entry(
                            m.id(),
                            domains(m.recipients()),
                            m.arrival(),
                            m.attempts(),
                            m.nextAttempt(),
                            m.state(),
                            m.lastReply()))
                    .toList();
            return new Summary(
                    node,
                    at,
                    count(messages, "incoming"),
                    count(messages, "active"),
                    count(messages, "deferred"),
                    count(messages, "hold"),
                    messages.stream().map(QueuedMessage::arrival).min(Comparator.naturalOrder()),
                    entries,
                    waiting.size() - entries.size());
        }

        private static int count(List<QueuedMessage> messages, String state) {
            return (int) messages.stream().filter(m -> m.state().equals(state)).count();
        }

        private static List<String> domains(List<String> recipients) {
            TreeSet<String> out = new TreeSet<>();
            for (String r : recipients) {
                int at = r.lastIndexOf('@');
                out.add(at < 0 ? r : r.substring(at + 1).toLowerCase(Locale.ROOT));
            }
            return List.copyOf(out);
        }
    }

    private final Store store;
    private final Clock clock;

    public NodeQueues(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** {@code node}'s summary of its queue {@code messages} now, unpublished (this node's own, read live). */
    public Summary live(String node, List<QueuedMessage> messages) {
        return Summary.of(node, clock.instant(), messages);
    }

    /** Replaces {@code node}'s summary with its queue {@code messages} now. */
    public void publish(String node, List<QueuedMessage> messages) {
        Summary summary = Summary.of(node, clock.instant(), messages);
        String json;
        try {
            json = JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the queue summary as JSON", e);
        }
        long at = summary.publishedAt().toEpochMilli();
        try (Connection c = store.dataSource().getConnection()) {
            // One publisher per node: an UPDATE, or the INSERT of the node's first summary (portable, no upsert).
            try (PreparedStatement up =
                    c.prepareStatement("UPDATE relay_node_queue SET published_at = ?, summary = ? WHERE node = ?")) {
                up.setLong(1, at);
                up.setString(2, json);
                up.setString(3, node);
                if (up.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement in =
                    c.prepareStatement("INSERT INTO relay_node_queue (node, published_at, summary) VALUES (?, ?, ?)")) {
                in.setString(1, node);
                in.setLong(2, at);
                in.setString(3, json);
                in.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot publish the relay queue summary of node " + node, e);
        }
    }

    /** Every node's published summary but {@code except}'s (this node's queue is read live), by node id. */
    public List<Summary> others(String except) {
        List<Summary> out = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT node, summary FROM relay_node_queue WHERE node <> ? ORDER BY node")) {
            ps.setString(1, except);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    try {
                        out.add(JSON.readValue(r.getString(2), Summary.class));
                    } catch (JsonProcessingException e) {
                        // A summary written by another build: shown as unreadable rather than failing the list.
                        LOG.warn(
                                "relay queue summary of node {} unreadable: {}",
                                r.getString(1),
                                e.getOriginalMessage());
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the relay queues of the other nodes", e);
        }
        return out;
    }
}
