package io.mxcutover.appliance.store;

import static io.mxcutover.appliance.cutover.CutoverPhase.CATCHING_UP;
import static io.mxcutover.appliance.cutover.CutoverPhase.RELAYING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.it.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real PostgreSQL server: every module's migrations, a transition, the health check. */
class StorePostgresIT {
    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void everyModuleShouldMigrateOnPostgresqlAndTheStoreShouldServe() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = pg.newDatabase("store_migrations");
        try (Store store =
                Store.open(StoreSettings.postgresql(dir.resolve("local/mx.db"), url, pg.user(), pg.password()))) {
            assertThat(store.engine()).isEqualTo(StoreSettings.Engine.POSTGRESQL);
            List<String> histories = new ArrayList<>();
            try (Connection c = store.dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables"
                            + " WHERE table_name LIKE 'flyway_history_%' ORDER BY table_name")) {
                while (r.next()) {
                    histories.add(r.getString(1));
                }
            }
            assertThat(histories)
                    .containsExactly("flyway_history_appliance", "flyway_history_dnscheck", "flyway_history_sync");

            DomainPhases phases = new DomainPhases(store, clock);
            assertThat(phases.transition("a.example", RELAYING, CATCHING_UP, "admin", "go-live", "{}"))
                    .isTrue();
            assertThat(phases.transition("a.example", RELAYING, CATCHING_UP, "admin", "again", "{}"))
                    .isFalse();
            assertThat(new StoreHealthCheck(store).execute().isHealthy()).isTrue();
        }
        // Opened again: nothing to migrate, the phase is there.
        try (Store again =
                Store.open(StoreSettings.postgresql(dir.resolve("local/mx.db"), url, pg.user(), pg.password()))) {
            assertThat(new DomainPhases(again, clock).phase("a.example")).isEqualTo(CATCHING_UP);
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedShouldFailTheOpenWithTheReasonAndTheFix() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        StoreSettings settings = new StoreSettings(
                dir.resolve("local/mx.db"),
                java.util.Optional.of("jdbc:postgresql://127.0.0.1:" + closed + "/mxcutover"),
                "mxcutover",
                "secret-not-logged",
                2,
                java.time.Duration.ofSeconds(2));
        assertThatThrownBy(() -> Store.open(settings))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("127.0.0.1:" + closed)
                .hasMessageContaining("Check the url, user and password")
                .hasMessageNotContaining("secret-not-logged");
    }

    @Test
    void aWrongPasswordShouldFailTheOpen() {
        PostgresServer pg = PostgresServer.shared();
        assertThatThrownBy(() -> Store.open(
                        StoreSettings.postgresql(dir.resolve("local/mx.db"), pg.url(), pg.user(), "wrong-password")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("password authentication failed");
    }
}
