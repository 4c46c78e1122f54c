package io.mxcutover.appliance.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The appliance's embedded state: one SQLite file, its schema migrated by Flyway.
 *
 * <p>Each module owns its tables and ships its migrations under {@code db/<module>} on the classpath; each
 * gets its own Flyway history table ({@code flyway_history_<module>}), so modules evolve their schema
 * independently. SQL is kept portable so that several nodes can later share PostgreSQL.
 */
public final class Store {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    /** Schema owners, migrated in this order when their migrations are on the classpath. */
    static final List<String> MODULES = List.of("appliance", "relay", "sync", "dnscheck");

    private final Path file;
    private final DataSource dataSource;

    private Store(Path file, DataSource dataSource) {
        this.file = file;
        this.dataSource = dataSource;
    }

    /** Opens (creating if needed) the store file and brings every module's schema up to date. */
    public static Store open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a phase change or sync record the store acknowledged survives a power cut.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(15_000);
        // BEGIN IMMEDIATE: a transaction that reads before it writes (SyncStore.recordListed, the batch and
        // phase updates) takes the write lock first. A deferred one gets SQLITE_BUSY at its first write when
        // another connection committed since its read, and the busy timeout does not help (WAL snapshot).
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Store store = new Store(file, ds);
        store.migrate();
        return store;
    }

    private void migrate() {
        ClassLoader cl = Store.class.getClassLoader();
        for (String module : MODULES) {
            if (cl.getResource("db/" + module) == null) continue;
            var result = Flyway.configure(cl)
                    .dataSource(dataSource)
                    .locations("classpath:db/" + module)
                    .table("flyway_history_" + module)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("Store {}: schema of {} migrated to version {}", file, module, result.targetSchemaVersion);
            }
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Path file() {
        return file;
    }

    /** Whether the store answers a trivial query. */
    public void ping() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }
}
