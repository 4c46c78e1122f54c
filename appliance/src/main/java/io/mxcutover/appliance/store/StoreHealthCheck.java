package io.mxcutover.appliance.store;

import com.codahale.metrics.health.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Healthy only when the state store can be read and written now: its schema reads (a damaged file fails
 * here: "file is not a database"), the write lock can be taken within a second (another process holding
 * the file locked fails here), and its file system has at least {@value #MIN_FREE_BYTES} bytes free (a full
 * disk fails here, before a phase change or an audit record does). The check writes nothing.
 */
public final class StoreHealthCheck extends HealthCheck {
    static final long MIN_FREE_BYTES = 1024 * 1024;

    private final Store store;

    public StoreHealthCheck(Store store) {
        this.store = store;
    }

    @Override
    protected Result check() {
        if (store.engine() == StoreSettings.Engine.POSTGRESQL) {
            return checkPostgresql();
        }
        String where = "state store " + store.file();
        // Free space first: on a full disk SQLite fails in odd places (e.g. resizing its shared memory file).
        try {
            Path dir = store.file().toAbsolutePath().getParent();
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < MIN_FREE_BYTES) {
                return Result.unhealthy(where + ": its disk is full (" + free + " bytes free); phase changes, audit"
                        + " records and sync state cannot be written until space is freed");
            }
        } catch (IOException e) {
            return Result.unhealthy(where + ": cannot read the free space of its disk: " + e.getMessage());
        }
        try (Connection c = store.freshConnection();
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
                r.next();
            }
            s.execute("PRAGMA busy_timeout = 1000");
            s.execute("BEGIN IMMEDIATE");
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            return Result.unhealthy(where + " " + meaning(e));
        }
        return Result.healthy(where + " reads and writes");
    }

    /**
     * PostgreSQL: this node reaches the database within the pool's timeout and may write there (not a read-only
     * standby). A node that cannot is unhealthy, with the driver's reason: its relay still routes by the phases it
     * last read, but it takes no new sync work and no transition.
     */
    private Result checkPostgresql() {
        String where = "state store " + store.settings().describe();
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            try (ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
                r.next();
                if (r.getBoolean(1)) {
                    return Result.unhealthy(where + " is a read-only standby: point store.url at the primary");
                }
            }
        } catch (SQLException e) {
            return Result.unhealthy(where + " cannot be reached from this node: " + e.getMessage()
                    + ". Check that PostgreSQL runs and accepts this node (pg_hba.conf, firewall)");
        }
        return Result.healthy(where + " (PostgreSQL) reads and writes");
    }

    /** What a failure says to the admin, by SQLite's result code in the message. */
    static String meaning(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("NOTADB") || m.contains("CORRUPT") || m.contains("not a database")) {
            return "cannot be read (damaged file?): " + m
                    + ". Stop the appliance and restore the file from a backup; it is not modified";
        }
        if (m.contains("BUSY") || m.contains("LOCKED") || m.contains("locked")) {
            return "cannot be written, it is locked: " + m
                    + ". Another process may hold it (sqlite3 shell, backup tool): close it";
        }
        if (m.contains("FULL") || m.contains("disk is full")) {
            return "cannot be written, its disk is full: " + m;
        }
        return "does not answer: " + m;
    }
}
