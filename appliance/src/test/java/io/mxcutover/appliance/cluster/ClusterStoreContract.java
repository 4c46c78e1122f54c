package io.mxcutover.appliance.cluster;

import static io.mxcutover.appliance.cutover.CutoverPhase.CATCHING_UP;
import static io.mxcutover.appliance.cutover.CutoverPhase.COMPLETED;
import static io.mxcutover.appliance.cutover.CutoverPhase.RELAYING;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.appliance.TestAppliance;
import io.mxcutover.appliance.audit.AuditEntry;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.CutoverRecords;
import io.mxcutover.appliance.plan.PlanWatcher;
import io.mxcutover.appliance.relay.RelayConfig;
import io.mxcutover.appliance.relay.RelayManaged;
import io.mxcutover.appliance.status.Listeners;
import io.mxcutover.appliance.store.DomainPhases;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.it.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one store (two {@link Store}s on the same database, as two appliance processes have): one transition
 * whichever node gets the call, one audit order, the node registry, the leader lease, and a relay that follows a
 * phase another node changed. Run on SQLite ({@code ClusterStoreTest}) and PostgreSQL ({@code ClusterStorePostgresIT}).
 */
abstract class ClusterStoreContract {
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    static final int ROUNDS = 20;

    @TempDir
    Path dir;

    final List<Store> opened = new ArrayList<>();
    final ExecutorService threads = Executors.newFixedThreadPool(2);

    /** A new node's view of one shared store: the first call creates the store, the next ones open the same one. */
    abstract Store node() throws Exception;

    Store open(Store store) {
        opened.add(store);
        return store;
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        opened.forEach(Store::close);
    }

    @Test
    void aTransitionShouldHappenOnceWhenTwoNodesGetTheCallAtOnce() throws Exception {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Store a = node();
        Store b = node();
        DomainPhases[] phases = {new DomainPhases(a, clock), new DomainPhases(b, clock)};
        CutoverRecords[] records = {new CutoverRecords(a), new CutoverRecords(b)};
        CyclicBarrier start = new CyclicBarrier(2);
        for (int round = 0; round < ROUNDS; round++) {
            String domain = "r" + round + ".example";
            // The first cutover inserts the domain's row; the rollback and the second cutover update it; then the
            // window closes. Each time both nodes try the same move at the same instant.
            List<CutoverPhase[]> moves = List.of(
                    new CutoverPhase[] {RELAYING, CATCHING_UP},
                    new CutoverPhase[] {CATCHING_UP, RELAYING},
                    new CutoverPhase[] {RELAYING, CATCHING_UP},
                    new CutoverPhase[] {CATCHING_UP, COMPLETED});
            for (CutoverPhase[] move : moves) {
                List<Future<Boolean>> tries = new ArrayList<>();
                for (int n = 0; n < 2; n++) {
                    int node = n;
                    Callable<Boolean> call = () -> {
                        start.await(10, TimeUnit.SECONDS);
                        return phases[node].transition(domain, move[0], move[1], "node" + node, "race", "{}", c -> {
                            if (move[1] == CATCHING_UP) {
                                records[node].begin(
                                        c,
                                        java.util.UUID.randomUUID().toString(),
                                        domain,
                                        T0,
                                        "node" + node,
                                        "race",
                                        false,
                                        List.of(),
                                        0,
                                        "node" + node);
                            }
                        });
                    };
                    tries.add(threads.submit(call));
                }
                int won = 0;
                for (Future<Boolean> t : tries) {
                    won += t.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(won)
                        .as("%s %s -> %s: nodes that moved it", domain, move[0], move[1])
                        .isEqualTo(1);
            }
            assertThat(phases[1].phase(domain)).isEqualTo(COMPLETED);
            assertThat(count(a, "SELECT COUNT(*) FROM audit_log WHERE domain = ? AND action = 'phase'", domain))
                    .isEqualTo(4);
            assertThat(count(b, "SELECT COUNT(*) FROM cutover WHERE domain = ?", domain))
                    .isEqualTo(2);
        }
    }

    @Test
    void auditEntriesOfOneMillisecondFromTwoNodesShouldHaveOneOrderEverywhere() throws Exception {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Store a = node();
        Store b = node();
        AuditLog[] logs = {new AuditLog(a, clock), new AuditLog(b, clock)};
        int each = 40;
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<?>> writers = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            int node = n;
            writers.add(threads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                for (int i = 0; i < each; i++) {
                    logs[node].record("node" + node, Optional.of("order.example"), "note", "", node + ":" + i);
                }
                return null;
            }));
        }
        for (Future<?> w : writers) {
            w.get(60, TimeUnit.SECONDS);
        }
        assertThat(count(a, "SELECT COUNT(DISTINCT seq) FROM audit_log WHERE domain = ?", "order.example"))
                .isEqualTo(2L * each);
        List<String> seenByA = details(logs[0].recent(Optional.of("order.example"), 1000));
        List<String> seenByB = details(logs[1].recent(Optional.of("order.example"), 1000));
        assertThat(seenByA).hasSize(2 * each).isEqualTo(seenByB);
        // Newest first, and each node's entries in the order it wrote them.
        for (int n = 0; n < 2; n++) {
            String prefix = n + ":";
            List<String> mine =
                    seenByA.stream().filter(d -> d.startsWith(prefix)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = each - 1; i >= 0; i--) {
                expected.add(prefix + i);
            }
            assertThat(mine).isEqualTo(expected);
        }
    }

    @Test
    void aNodeShouldBeAliveWhileItsHeartbeatIsWithinThreePeriodsAndCountItsLeases() throws Exception {
        MutableClock clock = new MutableClock(T0);
        Store a = node();
        Store b = node();
        Duration period = Duration.ofSeconds(5);
        NodeRegistry onA = new NodeRegistry(a, clock, period);
        NodeRegistry onB = new NodeRegistry(b, clock, period);
        NodeHeartbeat beatA = new NodeHeartbeat(onA, "node-a", "http://a:8080", "1.0", clock, period);
        onA.register("node-a", "http://a:8080", "1.0", T0);
        onB.register("node-b", "http://b:8080", "1.0", T0);
        assertThat(onB.nodes())
                .extracting(ClusterNode::id, ClusterNode::alive, ClusterNode::leases)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("node-a", true, 0),
                        org.assertj.core.groups.Tuple.tuple("node-b", true, 0));

        // node-b stops renewing (it lost the database); node-a goes on.
        for (int i = 0; i < 3; i++) {
            clock.advance(period);
            beatA.beat();
        }
        assertThat(onB.alive("node-b")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        beatA.beat();
        assertThat(onB.nodes())
                .extracting(ClusterNode::id, ClusterNode::alive)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("node-a", true),
                        org.assertj.core.groups.Tuple.tuple("node-b", false));
        assertThat(onA.nodes().get(0).lastHeartbeat()).isEqualTo(clock.instant());
        assertThat(onA.alive("nowhere")).isFalse();

        // The sync's leases (table sync_lease of the sync module, V7), unexpired ones only.
        try (Connection c = a.dataSource().getConnection();
                Statement s = c.createStatement()) {
            long now = clock.millis();
            String values = "(%s, %s, %d, 1, %d, %d)";
            s.execute("INSERT INTO sync_lease (mailbox, node, expires_at, generation, acquired_at, renewed_at) VALUES "
                    + String.format(values, "'a1@x.example'", "'node-a'", now + 30_000, now, now) + ", "
                    + String.format(values, "'a2@x.example'", "'node-a'", now + 30_000, now, now) + ", "
                    + String.format(values, "'b1@x.example'", "'node-b'", now - 1, now - 30_000, now - 30_000));
        }
        assertThat(onB.nodes()).extracting(ClusterNode::leases).containsExactly(2, 0);
    }

    @Test
    void theLeaderLeaseShouldBeHeldByOneNodeAndTakenOverWhenItExpires() throws Exception {
        MutableClock clock = new MutableClock(T0);
        Duration lease = Duration.ofSeconds(15);
        LeaderLease a = new LeaderLease(node(), "dns-watch", "node-a", clock, lease);
        LeaderLease b = new LeaderLease(node(), "dns-watch", "node-b", clock, lease);

        assertThat(a.tryHold()).isTrue();
        assertThat(b.tryHold()).isFalse();
        clock.advance(Duration.ofSeconds(5));
        assertThat(a.tryHold()).isTrue();
        assertThat(b.tryHold()).isFalse();

        // node-a dies: nobody renews; within the lease node-b still waits, after it node-b leads.
        clock.advance(Duration.ofSeconds(14));
        assertThat(b.tryHold()).isFalse();
        assertThat(a.held()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(a.held()).isFalse();
        assertThat(b.tryHold()).isTrue();
        assertThat(a.tryHold()).isFalse();

        // A clean stop releases it: the other node takes it at once.
        b.release();
        assertThat(b.held()).isFalse();
        assertThat(a.tryHold()).isTrue();

        // Both nodes trying at the same instant, many times: never both.
        CyclicBarrier start = new CyclicBarrier(2);
        for (int round = 0; round < ROUNDS; round++) {
            clock.advance(Duration.ofSeconds(16));
            Future<Boolean> x = threads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return a.tryHold();
            });
            Future<Boolean> y = threads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return b.tryHold();
            });
            assertThat(List.of(x.get(30, TimeUnit.SECONDS), y.get(30, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder(true, false);
        }
    }

    @Test
    void aRelayShouldRouteByAPhaseAnotherNodeChangedAfterItsRefresh() throws Exception {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Store a = node();
        Store b = node();
        Path planFile = Files.writeString(dir.resolve("plan.yml"), TestAppliance.plan("x.example", "y.example"));
        PlanWatcher plan = PlanWatcher.open(planFile);
        RelayConfig config = new RelayConfig();
        config.enabled = false;
        RelayManaged relayB = new RelayManaged(
                config, plan, new DomainPhases(b, clock), new Listeners(), clock, new MetricRegistry());
        relayB.start();
        try {
            assertThat(routesToNew(relayB, "x.example")).isFalse();
            assertThat(relayB.refreshPhases()).isEmpty();

            assertThat(new DomainPhases(a, clock).transition("x.example", RELAYING, CATCHING_UP, "admin", "go", "{}"))
                    .isTrue();
            assertThat(routesToNew(relayB, "x.example")).isFalse();
            assertThat(relayB.refreshPhases()).containsExactly(java.util.Map.entry("x.example", CATCHING_UP));
            assertThat(routesToNew(relayB, "x.example")).isTrue();
            assertThat(routesToNew(relayB, "y.example")).isFalse();
            assertThat(relayB.refreshPhases()).isEmpty();

            assertThat(new DomainPhases(a, clock).transition("x.example", CATCHING_UP, RELAYING, "admin", "back", "{}"))
                    .isTrue();
            assertThat(relayB.refreshPhases()).containsExactly(java.util.Map.entry("x.example", RELAYING));
            assertThat(routesToNew(relayB, "x.example")).isFalse();
        } finally {
            relayB.stop();
            plan.close();
        }
    }

    static boolean routesToNew(RelayManaged relay, String domain) {
        return relay.routes().lookup(domain).orElseThrow().routeToNew();
    }

    static List<String> details(List<AuditEntry> entries) {
        return entries.stream().map(AuditEntry::details).toList();
    }

    static long count(Store store, String sql, String arg) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
