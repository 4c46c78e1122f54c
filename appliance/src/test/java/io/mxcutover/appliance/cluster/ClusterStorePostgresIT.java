package io.mxcutover.appliance.cluster;

import static io.mxcutover.appliance.cutover.CutoverPhase.CATCHING_UP;
import static io.mxcutover.appliance.cutover.CutoverPhase.RELAYING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.appliance.TestAppliance;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.plan.PlanWatcher;
import io.mxcutover.appliance.relay.RelayConfig;
import io.mxcutover.appliance.relay.RelayManaged;
import io.mxcutover.appliance.status.Listeners;
import io.mxcutover.appliance.store.DomainPhases;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreSettings;
import io.mxcutover.it.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ClusterStoreContract} on PostgreSQL: two connection pools on one database, READ COMMITTED. */
class ClusterStorePostgresIT extends ClusterStoreContract {
    /** One database for the class (its tests use their own domains and node ids): the migrations run once. */
    private static String url;

    @Override
    Store node() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        synchronized (ClusterStorePostgresIT.class) {
            if (url == null) {
                url = pg.newDatabase("cluster");
            }
        }
        return open(Store.open(StoreSettings.postgresql(
                dir.resolve("node" + opened.size() + "/mx.db"), url, pg.user(), pg.password())));
    }

    /**
     * The delay from a transition committed through node A to node B's relay routing by it, with B's refresh on its
     * own schedule (cluster.phaseRefreshSeconds, the default 2 s): at most one period, on average half of one.
     */
    @Test
    void anotherNodesRelayShouldRouteByTheNewPhaseWithinOneRefreshPeriod() throws Exception {
        Duration refresh = Duration.ofSeconds(2);
        Clock clock = Clock.systemUTC();
        Store a = node();
        Store b = node();
        Path planFile = Files.writeString(dir.resolve("plan.yml"), TestAppliance.plan("measure.example"));
        PlanWatcher plan = PlanWatcher.open(planFile);
        RelayConfig config = new RelayConfig();
        config.enabled = false;
        RelayManaged relayB = new RelayManaged(
                        config, plan, new DomainPhases(b, clock), new Listeners(), clock, new MetricRegistry())
                .followPhases(refresh);
        relayB.start();
        DomainPhases onA = new DomainPhases(a, clock);
        List<Long> delaysMillis = new ArrayList<>();
        try {
            CutoverPhase from = RELAYING;
            for (int round = 0; round < 3; round++) {
                CutoverPhase to = from == RELAYING ? CATCHING_UP : RELAYING;
                assertThat(onA.transition("measure.example", from, to, "admin", "round " + round, "{}"))
                        .isTrue();
                long committed = System.nanoTime();
                boolean toNew = to.routesToNew();
                await().atMost(refresh.plusSeconds(1))
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> routesToNew(relayB, "measure.example") == toNew);
                delaysMillis.add((System.nanoTime() - committed) / 1_000_000);
                from = to;
            }
        } finally {
            relayB.stop();
            plan.close();
        }
        System.out.println(
                "[ClusterStorePostgresIT] phase change on node A -> node B's relay routes by it, ms (refresh "
                        + refresh.toSeconds() + " s): " + delaysMillis);
        assertThat(delaysMillis).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(refresh.toMillis() + 500));
    }
}
