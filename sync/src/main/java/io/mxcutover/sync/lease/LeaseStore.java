package io.mxcutover.sync.lease;

import io.mxcutover.sync.state.StateStoreException;
import io.mxcutover.sync.state.Transactions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The leases of one table ({@code sync_lease}: mailbox passes; {@code sync_idle_lease}: IDLE watchers) in SQL,
 * schema {@code db/sync/V7__sync_lease.sql}. Every claim is a conditional UPDATE that checks the row count, so two
 * nodes never both hold a lease, at READ COMMITTED on PostgreSQL as on SQLite; on PostgreSQL a node picks the row
 * to claim with {@code SELECT ... FOR UPDATE SKIP LOCKED}, so nodes taking work at once do not queue on one row.
 * Each statement is its own transaction except a claim (select and update). Times are epoch millis.
 */
public final class LeaseStore {
    /** A lease this node was given: the row's generation fences it (a later claim has a higher one). */
    public record Lease(String mailbox, String node, long generation, long expiresAt) {}

    private final DataSource dataSource;
    private final String table;
    private final boolean postgres;

    public LeaseStore(DataSource dataSource, String table) {
        if (!table.equals("sync_lease") && !table.equals("sync_idle_lease")) {
            throw new IllegalArgumentException("not a lease table: " + table);
        }
        this.dataSource = dataSource;
        this.table = table;
        this.postgres = Engines.isPostgres(dataSource);
    }

    public String table() {
        return table;
    }

    /** Rows for these mailboxes (free, never passed) where there are none yet. */
    public void ensure(Collection<String> mailboxes) {
        if (mailboxes.isEmpty()) {
            return;
        }
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                    + " (mailbox, node, expires_at, generation, acquired_at, renewed_at, released_at)"
                    + " VALUES (?, NULL, 0, 0, 0, 0, NULL) ON CONFLICT (mailbox) DO NOTHING")) {
                for (String m : mailboxes) {
                    ps.setString(1, m);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Every row (for the order of a claim on SQLite, and for reports). */
    public List<LeaseRules.LeaseRow> rows() {
        return run(c -> {
            List<LeaseRules.LeaseRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT mailbox, node, expires_at, generation, released_at FROM " + table);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LeaseRules.LeaseRow(
                            rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                }
            }
            return out;
        });
    }

    /** The row of {@code mailbox}; empty when it has none yet. */
    public Optional<LeaseRules.LeaseRow> row(String mailbox) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT mailbox, node, expires_at, generation, released_at FROM " + table + " WHERE mailbox = ?")) {
                ps.setString(1, mailbox);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new LeaseRules.LeaseRow(
                                    rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                            : Optional.<LeaseRules.LeaseRow>empty();
                }
            }
        });
    }

    /** How many unexpired leases each node holds at {@code now}. */
    public Map<String, Integer> heldByNode(long now) {
        return run(c -> {
            Map<String, Integer> out = new java.util.TreeMap<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT node, COUNT(*) FROM " + table + " WHERE expires_at > ? GROUP BY node")) {
                ps.setLong(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Takes the lease of the first of {@code candidates} (rows must exist: {@link #ensure}) in the order of
     * {@link LeaseRules#order}: free, and released by another node at least {@code rest} ago. Empty when none can be taken now.
     */
    public Optional<Lease> claimNext(List<String> candidates, String node, long now, long expiresAt, Duration rest) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        if (!postgres) {
            // One node on SQLite (one writer): the order in Java, each try a conditional UPDATE.
            for (String m : LeaseRules.order(candidates, rows(), node, now, rest)) {
                Optional<Lease> l = claim(m, node, now, expiresAt);
                if (l.isPresent()) {
                    return l;
                }
            }
            return Optional.empty();
        }
        return run(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Optional<Lease> l = claimLocked(c, candidates, node, now, expiresAt, rest);
                c.commit();
                return l;
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackAfter(c, e);
                throw e;
            } finally {
                Transactions.restoreAutoCommit(c, auto);
            }
        });
    }

    private Optional<Lease> claimLocked(
            Connection c, List<String> candidates, String node, long now, long expiresAt, Duration rest)
            throws SQLException {
        String picked;
        Array names = c.createArrayOf("varchar", candidates.toArray());
        try (PreparedStatement ps = c.prepareStatement("SELECT mailbox FROM " + table
                + " WHERE mailbox = ANY(?) AND expires_at <= ?"
                + " AND (released_at IS NULL OR node = ? OR released_at <= ?)"
                + " ORDER BY released_at NULLS FIRST, mailbox LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            ps.setArray(1, names);
            ps.setLong(2, now);
            ps.setString(3, node);
            ps.setLong(4, now - rest.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                picked = rs.getString(1);
            }
        } finally {
            names.free();
        }
        return update(c, picked, node, now, expiresAt);
    }

    /** Takes the lease of {@code mailbox} if it is free at {@code now} (its row is made when missing). */
    public Optional<Lease> claim(String mailbox, String node, long now, long expiresAt) {
        ensure(List.of(mailbox));
        return run(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Optional<Lease> l = update(c, mailbox, node, now, expiresAt);
                c.commit();
                return l;
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackAfter(c, e);
                throw e;
            } finally {
                Transactions.restoreAutoCommit(c, auto);
            }
        });
    }

    // The claim itself: conditional on the lease being free. On PostgreSQL a concurrent claim of the same row waits
    // for the first to commit, then re-reads the row and no longer matches: the row count says who won.
    private Optional<Lease> update(Connection c, String mailbox, String node, long now, long expiresAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                + " SET node = ?, expires_at = ?, generation = generation + 1, acquired_at = ?, renewed_at = ?"
                + " WHERE mailbox = ? AND expires_at <= ?")) {
            ps.setString(1, node);
            ps.setLong(2, expiresAt);
            ps.setLong(3, now);
            ps.setLong(4, now);
            ps.setString(5, mailbox);
            ps.setLong(6, now);
            if (ps.executeUpdate() != 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM " + table + " WHERE mailbox = ?")) {
            ps.setString(1, mailbox);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.of(new Lease(mailbox, node, rs.getLong(1), expiresAt));
            }
        }
    }

    /** Extends the lease to {@code expiresAt}; false when it is no longer this claim's (expired, or taken over). */
    public boolean renew(Lease lease, long now, long expiresAt) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET expires_at = ?, renewed_at = ?"
                    + " WHERE mailbox = ? AND node = ? AND generation = ? AND expires_at > ?")) {
                ps.setLong(1, expiresAt);
                ps.setLong(2, now);
                ps.setString(3, lease.mailbox());
                ps.setString(4, lease.node());
                ps.setLong(5, lease.generation());
                ps.setLong(6, now);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Gives the lease up (the pass ended): free at once, and the time of the pass's end kept for the order. */
    public void release(Lease lease, long now) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET expires_at = 0, released_at = ?"
                    + " WHERE mailbox = ? AND node = ? AND generation = ?")) {
                ps.setLong(1, now);
                ps.setString(2, lease.mailbox());
                ps.setString(3, lease.node());
                ps.setLong(4, lease.generation());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Inside a write transaction on {@code c}: whether the lease is still this claim's at {@code now}. On PostgreSQL
     * the row stays locked until that transaction ends, so no other node can claim it before the write commits.
     */
    public boolean holds(Connection c, Lease lease, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table
                + " WHERE mailbox = ? AND node = ? AND generation = ? AND expires_at > ?"
                + (postgres ? " FOR UPDATE" : ""))) {
            ps.setString(1, lease.mailbox());
            ps.setString(2, lease.node());
            ps.setLong(3, lease.generation());
            ps.setLong(4, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StateStoreException("sync lease store failed: " + e.getMessage(), e);
        }
    }
}
