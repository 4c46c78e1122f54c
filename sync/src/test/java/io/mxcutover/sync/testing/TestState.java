package io.mxcutover.sync.testing;

import io.mxcutover.it.PostgresContract;
import io.mxcutover.sync.state.SyncSchema;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Opens a SQLite state file the way the appliance does: Flyway, classpath:db/sync, table flyway_history_sync. */
public final class TestState {
    private TestState() {}

    /**
     * A PostgreSQL state for the store contract tests ({@code *PostgresIT}): the database of {@code name} on the
     * shared test server, migrated like {@link #open} on first use, emptied on every later one.
     */
    public static DataSource postgres(String name) {
        return PostgresContract.emptyDatabase(name, TestState::migrate);
    }

    public static DataSource open(Path file) {
        // The appliance's settings (appliance Store.openSqlite): the benches that run on this state measure what the
        // product does. Without BEGIN IMMEDIATE, a transaction that read before another connection committed got
        // SQLITE_BUSY at its first write (a mailbox of the 10 x 2,000 bench failed so on 2026-12-06).
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(15_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        SQLiteDataSource direct = new SQLiteDataSource(config);
        direct.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        // Pooled as the appliance's Store pools it: at most 32, a connection replaced after any SQLite error but a
        // constraint violation. But none is opened in the background (the Store keeps 2 idle): a pool that refilled
        // itself after an evicted connection created the file again while JUnit deleted the test's directory
        // (SyncCrashIT: "Failed to delete temp directory", DirectoryNotEmptyException). The tests never close these
        // pools; their housekeeping threads are daemons.
        com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
        pool.setDataSource(direct);
        pool.setPoolName("test-state-" + file.getFileName());
        pool.setMaximumPoolSize(32);
        pool.setMinimumIdle(0);
        pool.setExceptionOverride(new com.zaxxer.hikari.SQLExceptionOverride() {
            @java.lang.Override
            public com.zaxxer.hikari.SQLExceptionOverride.Override adjudicate(java.sql.SQLException e) {
                return (e.getErrorCode() & 0xff) == 19
                        ? com.zaxxer.hikari.SQLExceptionOverride.Override.DO_NOT_EVICT
                        : com.zaxxer.hikari.SQLExceptionOverride.Override.MUST_EVICT;
            }
        });
        DataSource ds = new com.zaxxer.hikari.HikariDataSource(pool);
        if (SyncSchema.isCurrent(ds)) {
            return ds; // re-run: nothing to migrate, Flyway's ~0.6 s of start-up skipped
        }
        migrate(ds);
        return ds;
    }

    private static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/sync")
                .table("flyway_history_sync")
                .load()
                .migrate();
    }
}
