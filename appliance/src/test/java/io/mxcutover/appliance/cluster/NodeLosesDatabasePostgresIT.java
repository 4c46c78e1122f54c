package io.mxcutover.appliance.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.health.HealthCheck;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreException;
import io.mxcutover.appliance.store.StoreHealthCheck;
import io.mxcutover.appliance.store.StoreSettings;
import io.mxcutover.it.PostgresServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose database goes away (its own PostgreSQL server, started in this test's directory and stopped): its
 * store health check turns unhealthy with the reason, and its heartbeat fails, so it stops renewing it.
 */
class NodeLosesDatabasePostgresIT {
    @TempDir
    Path dir;

    @Test
    void aNodeThatCannotReachTheDatabaseShouldBeUnhealthyAndStopItsHeartbeat() throws Exception {
        PostgresServer pg = PostgresServer.start(dir.resolve("pg"));
        Store store;
        try {
            String url = pg.newDatabase("gone");
            store = Store.open(new StoreSettings(
                    dir.resolve("node/mx.db"), Optional.of(url), pg.user(), pg.password(), 2, Duration.ofSeconds(2)));
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
        try {
            Clock clock = Clock.systemUTC();
            NodeRegistry registry = new NodeRegistry(store, clock, Duration.ofSeconds(5));
            NodeHeartbeat heartbeat = new NodeHeartbeat(registry, "node-a", "", "1.0", clock, Duration.ofSeconds(5));
            registry.register("node-a", "", "1.0", clock.instant());
            heartbeat.beat();
            StoreHealthCheck health = new StoreHealthCheck(store);
            assertThat(health.execute().isHealthy()).isTrue();

            pg.close();

            HealthCheck.Result gone = health.execute();
            assertThat(gone.isHealthy()).isFalse();
            assertThat(gone.getMessage()).contains("cannot be reached from this node");
            assertThatThrownBy(heartbeat::beat)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("heartbeat of node node-a");
        } finally {
            store.close();
        }
    }
}
