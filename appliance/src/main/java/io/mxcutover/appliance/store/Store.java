package io.mxcutover.appliance.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
 * The appliance's state: one SQLite file (the default), or a PostgreSQL database shared by several nodes
 * ({@link StoreSettings}); its schema migrated by Flyway.
 *
 * <p>Each module owns its tables and ships its migrations under {@code db/<module>} on the classpath; each
 * gets its own Flyway history table ({@code flyway_history_<module>}), so modules evolve their schema
 * independently. The SQL is portable: the same migration files run on both engines.
 *
 * <p>The connections come from a HikariCP pool on both engines (closed by {@link #close}). On SQLite an open costs
 * 0.3-0.45 ms of CPU with this store's pragmas, and the sync writes its journal many times a folder: unpooled, the
 * opens were 8 % of a warm copy's CPU on a mailbox of 43 folders (JFR, bench/sync/wan.sh). A pooled SQLite
 * connection is replaced after any SQLite error but a constraint violation ({@link #evictAfterSqliteErrors}): a
 * full disk leaves it in a transaction SQLite rolled back by itself, and a damaged file may not show on it again.
 * The health check reads through a connection of its own ({@link #freshConnection}) for the same reason.
 *
 * <p>On SQLite one more connection stays open until {@link #close}: without it, each request's connection was the
 * last one open when it closed, so SQLite checkpointed the WAL into the file and deleted it, and the next one created
 * it again. That cost a no-change re-run of 10 mailboxes 145 fsyncs, 64 of them on the file and its directory for
 * those checkpoints and re-creations (strace); with the WAL kept, commits fsync the WAL only, and SQLite checkpoints
 * every ~1,000 pages.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    /** Schema owners, migrated in this order when their migrations are on the classpath. */
    static final List<String> MODULES = List.of("appliance", "relay", "sync", "dnscheck");
    /**
     * The newest migration of each module that has any ({@code db/<module>/V<n>__*.sql}; StoreTest checks these
     * against the classpath). A store whose history shows it applied, and no failure, skips Flyway at start:
     * Flyway costs most of a one-shot {@code ./mxcutover sync} re-run on a cold JVM (class loading and classpath
     * scanning for every module), the check one query per module.
     */
    static final java.util.Map<String, String> LATEST_VERSIONS = java.util.Map.of(
            "appliance", "9", "sync", io.mxcutover.sync.state.SyncSchema.LATEST_VERSION, "dnscheck", "2");

    /** SQLite: the most connections open at once (one writer at a time; readers in parallel in WAL mode). */
    static final int SQLITE_POOL_SIZE = 32;

    private final StoreSettings settings;
    private final DataSource dataSource;
    /** SQLite: the file's own data source, not pooled ({@link #freshConnection}); else null. */
    private final DataSource direct;
    /** SQLite: the connection that keeps the WAL open between requests (see the class comment); else null. */
    private final Connection walKeeper;

    private Store(StoreSettings settings, DataSource dataSource, DataSource direct, Connection walKeeper) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.direct = direct;
        this.walKeeper = walKeeper;
    }

    /** Opens (creating if needed) the SQLite store file and brings every module's schema up to date. */
    public static Store open(Path file) throws IOException {
        return open(StoreSettings.sqlite(file));
    }

    /** Opens the store {@code settings} name and brings every module's schema up to date. */
    public static Store open(StoreSettings settings) throws IOException {
        Files.createDirectories(settings.file().toAbsolutePath().getParent());
        if (settings.engine() == StoreSettings.Engine.POSTGRESQL) {
            return openPostgresql(settings);
        }
        return openSqlite(settings);
    }

    private static Store openPostgresql(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url().orElseThrow());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setPoolName("mxcutover-store");
        // A node that lost the database must notice within seconds, not hang on a dead socket.
        config.addDataSourceProperty("connectTimeout", "10");
        config.addDataSourceProperty("socketTimeout", "60");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "mxcutover");
        // Fail at start when the database cannot be reached (with the driver's reason), not at the first request.
        config.setInitializationFailTimeout(settings.connectionTimeout().toMillis());
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException(
                    "cannot reach the state store " + settings.describe() + " as user "
                            + settings.user() + ": " + rootMessage(e)
                            + ". Check the url, user and password under store: in"
                            + " the service YAML, and that PostgreSQL accepts connections from this node",
                    e);
        }
        Store store = new Store(settings, ds, null, null);
        try {
            store.migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return store;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    private static Store openSqlite(StoreSettings settings) {
        Path file = settings.file();
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
        Connection keeper;
        try {
            keeper = ds.getConnection();
            try (Statement st = keeper.createStatement()) {
                st.execute("SELECT count(*) FROM sqlite_master"); // reads: this connection now holds the WAL open
            }
        } catch (SQLException e) {
            throw new StoreException(
                    "opening " + file.toAbsolutePath() + " (check that it is an SQLite file, that its directory is"
                            + " writable by this user and that the disk is not full)",
                    e);
        }
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(ds);
        pool.setPoolName("mxcutover-state");
        pool.setMaximumPoolSize(SQLITE_POOL_SIZE);
        pool.setMinimumIdle(2);
        pool.setExceptionOverride(evictAfterSqliteErrors());
        HikariDataSource pooled;
        try {
            pooled = new HikariDataSource(pool);
        } catch (RuntimeException e) {
            closeQuietly(keeper);
            throw new StoreException("opening " + file.toAbsolutePath() + ": " + rootMessage(e), e);
        }
        Store store = new Store(settings, pooled, ds, keeper);
        try {
            store.migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * A pooled SQLite connection that saw an error is closed, not reused: after a COMMIT that failed on a full disk
     * SQLite has rolled the transaction back by itself while the driver still thinks it open (its next COMMIT failed
     * with "cannot commit - no transaction is active"), and after an I/O error nothing about it is known. A
     * constraint violation (SQLITE_CONSTRAINT, a duplicate key another writer inserted first) fails one statement
     * and leaves the connection as it was: kept.
     */
    static com.zaxxer.hikari.SQLExceptionOverride evictAfterSqliteErrors() {
        return new com.zaxxer.hikari.SQLExceptionOverride() {
            @java.lang.Override
            public com.zaxxer.hikari.SQLExceptionOverride.Override adjudicate(SQLException e) {
                return (e.getErrorCode() & 0xff) == 19
                        ? com.zaxxer.hikari.SQLExceptionOverride.Override.DO_NOT_EVICT
                        : com.zaxxer.hikari.SQLExceptionOverride.Override.MUST_EVICT;
            }
        };
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // opening failed already; that is the error reported
        }
    }

    private void migrate() {
        ClassLoader cl = Store.class.getClassLoader();
        for (String module : MODULES) {
            if (cl.getResource("db/" + module) == null) continue;
            String latest = LATEST_VERSIONS.get(module);
            if (latest != null
                    && io.mxcutover.sync.state.SyncSchema.isCurrent(dataSource, "flyway_history_" + module, latest)) {
                continue; // nothing to migrate: Flyway's start-up is skipped
            }
            var result = Flyway.configure(cl)
                    .dataSource(dataSource)
                    .locations("classpath:db/" + module)
                    .table("flyway_history_" + module)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info(
                        "Store {}: schema of {} migrated to version {}",
                        settings.describe(),
                        module,
                        result.targetSchemaVersion);
            }
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The SQLite file; on PostgreSQL the file whose directory holds this node's local state. */
    public Path file() {
        return settings.file();
    }

    /** This node's local state directory (credential key, hook temp files): the directory of {@link #file}. */
    public Path localDir() {
        return settings.file().toAbsolutePath().getParent();
    }

    public StoreSettings settings() {
        return settings;
    }

    public StoreSettings.Engine engine() {
        return settings.engine();
    }

    /** Closes the connection pool, and on SQLite the connection that keeps its WAL open (then SQLite checkpoints it). */
    @Override
    public void close() {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
        if (walKeeper != null) {
            try {
                walKeeper.close();
            } catch (SQLException e) {
                LOG.warn(
                        "Store {}: closing it: {} (its WAL is checkpointed at the next start)",
                        settings.describe(),
                        e.getMessage());
            }
        }
    }

    /**
     * Whether {@code e} is a unique or primary key violation: another writer (another node) inserted the same key
     * first. PostgreSQL's SQLSTATE 23505; SQLite's SQLITE_CONSTRAINT on a UNIQUE or PRIMARY KEY.
     */
    public static boolean duplicateKey(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return true;
        }
        String m = String.valueOf(e.getMessage());
        return (e.getErrorCode() & 0xff) == 19 && (m.contains("UNIQUE") || m.contains("PRIMARY KEY"));
    }

    /**
     * SQLite: a new connection to the file, not one from the pool, for what must see the file as it is now (the
     * health check: a pooled connection has the file open and its schema read, and may answer from its cache after
     * the file was damaged). PostgreSQL: one from the pool. The caller closes it.
     */
    public Connection freshConnection() throws SQLException {
        return direct == null ? dataSource.getConnection() : direct.getConnection();
    }

    /** Whether the store answers a trivial query. */
    public void ping() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }
}
