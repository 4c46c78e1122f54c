package io.mxcutover.appliance.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.it.MutableClock;
import io.mxcutover.relay.schedule.QueuedMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's queue: node A publishes its queue summary, node B's {@code GET /api/v1/queue} lists B's own messages
 * in full and A's deferred ones with {@code node: A}; the summary is bounded. SQLite here, PostgreSQL in
 * {@code NodeQueuesPostgresIT}.
 */
class NodeQueuesTest {
    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

    Store open(Path db) throws java.io.IOException {
        return Store.open(db);
    }

    static QueuedMessage message(String id, String state, Instant arrival, String... recipients) {
        return new QueuedMessage(
                id,
                "alice@example.org",
                List.of(recipients),
                arrival,
                Duration.ZERO,
                2,
                arrival.plusSeconds(300),
                state,
                "451 4.3.0 try later",
                100,
                false);
    }

    @Test
    void everyNodesQueueShouldBeListedWithItsNodeAndBounded() throws Exception {
        Store store = open(dir.resolve("var/mx.db"));
        NodeQueues queues = new NodeQueues(store, clock);
        Instant t0 = clock.instant();
        List<QueuedMessage> onA = IntStream.range(0, NodeQueues.MAX_ENTRIES + 50)
                .mapToObj(i -> message(
                        "0A%012d".formatted(i),
                        i == 0 ? "active" : "deferred",
                        t0.plusSeconds(i),
                        "ann@a.example",
                        "Ben@B.Example"))
                .toList();
        queues.publish("node-a", onA.subList(0, 3));
        clock.advance(Duration.ofSeconds(10));
        queues.publish("node-a", onA); // replaces the first summary

        QueueResourceTest.FakeQueue onB = new QueueResourceTest.FakeQueue();
        onB.add("0BBBBBBBB00001", "deferred");
        QueueResource b =
                new QueueResource(() -> Optional.of(onB), new AuditLog(store, clock), "node-b", Optional.of(queues));

        List<QueueResource.NodeQueuedMessage> all = b.list();
        assertThat(all.get(0)).satisfies(m -> {
            assertThat(m.node()).isEqualTo("node-b");
            assertThat(m.local()).isTrue();
            assertThat(m.recipients()).containsExactly("bob@example.test");
            assertThat(m.recipientDomains()).containsExactly("example.test");
        });
        List<QueueResource.NodeQueuedMessage> fromA =
                all.stream().filter(m -> m.node().equals("node-a")).toList();
        assertThat(fromA).hasSize(NodeQueues.MAX_ENTRIES);
        assertThat(fromA.get(0)).satisfies(m -> {
            assertThat(m.id()).isEqualTo("0A000000000001"); // the oldest deferred; the active one is counted
            assertThat(m.local()).isFalse();
            assertThat(m.recipients()).isEmpty();
            assertThat(m.recipientDomains()).containsExactly("a.example", "b.example");
            assertThat(m.nextAttempt()).isEqualTo(t0.plusSeconds(301));
            assertThat(m.lastReply()).isEqualTo("451 4.3.0 try later");
            assertThat(m.sender()).isNull();
        });

        assertThat(b.nodes()).extracting(NodeQueues.Summary::node).containsExactly("node-b", "node-a");
        NodeQueues.Summary a = b.nodes().get(1);
        assertThat(a.publishedAt()).isEqualTo(t0.plusSeconds(10));
        assertThat(a.active()).isEqualTo(1);
        assertThat(a.deferred()).isEqualTo(NodeQueues.MAX_ENTRIES + 49);
        assertThat(a.entriesLeftOut()).isEqualTo(49);
        assertThat(a.oldest()).contains(t0);

        // Node A's own API reads A's live queue (here empty), not the summary A published.
        QueueResourceTest.FakeQueue aLive = new QueueResourceTest.FakeQueue();
        QueueResource aApi =
                new QueueResource(() -> Optional.of(aLive), new AuditLog(store, clock), "node-a", Optional.of(queues));
        assertThat(aApi.nodes()).singleElement().satisfies(s -> {
            assertThat(s.node()).isEqualTo("node-a");
            assertThat(s.deferred()).isZero();
        });
    }
}
