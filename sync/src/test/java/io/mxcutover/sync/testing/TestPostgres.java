package io.mxcutover.sync.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mxcutover.it.PostgresServer;
import io.mxcutover.sync.state.SyncSchema;
import org.flywaydb.core.Flyway;

/** A fresh PostgreSQL database of the shared test server with the sync schema, behind a small pool. */
public final class TestPostgres {
    private TestPostgres() {}

    /** A new database migrated like the appliance's store; the caller closes the pool. */
    public static HikariDataSource open(String prefix) {
        PostgresServer pg = PostgresServer.shared();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.newDatabase(prefix));
        config.setUsername(pg.user());
        config.setPassword(pg.password());
        config.setMaximumPoolSize(16);
        config.setPoolName("sync-test-" + prefix);
        HikariDataSource ds = new HikariDataSource(config);
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/sync")
                .table(SyncSchema.HISTORY_TABLE)
                .load()
                .migrate();
        return ds;
    }
}
