package io.mxcutover.sync.lease;

import io.mxcutover.sync.state.StateStoreException;
import io.mxcutover.sync.state.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The connection slots of each IMAP server ({@code host:port}) across the nodes, in SQL ({@code sync_server_slot},
 * schema {@code db/sync/V7__sync_lease.sql}): one row per slot, held by a node while one of its connections to that
 * server is open, until {@code expires_at} unless renewed (the node's lease period). A claim is a conditional
 * UPDATE checked by its row count; on PostgreSQL the slot is picked with {@code FOR UPDATE SKIP LOCKED}.
 */
public final class ServerSlotStore {
    /** A slot this node holds; the generation fences its renewals and its release. */
    public record Slot(String server, int slot, String node, long generation) {}

    private final DataSource dataSource;
    private final boolean postgres;

    public ServerSlotStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.postgres = Engines.isPostgres(dataSource);
    }

    /** Rows for slots {@code 0..cap-1} of {@code server} where there are none yet. */
    public void ensure(String server, int cap) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_server_slot"
                    + " (server, slot, node, holder, expires_at, generation, acquired_at)"
                    + " VALUES (?, ?, NULL, NULL, 0, 0, 0) ON CONFLICT (server, slot) DO NOTHING")) {
                for (int i = 0; i < cap; i++) {
                    ps.setString(1, server);
                    ps.setInt(2, i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Takes a free slot of {@code range} (rows must exist: {@link #ensure}); empty when every one is held. */
    public Optional<Slot> claim(
            String server, LeaseRules.SlotRange range, String node, String holder, long now, long expiresAt) {
        if (range.empty()) {
            return Optional.empty();
        }
        // A few tries: on SQLite another thread of this node may take the slot between the pick and the update.
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<Optional<Slot>> r = run(c -> {
                boolean auto = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    Optional<Optional<Slot>> got = tryClaim(c, server, range, node, holder, now, expiresAt);
                    c.commit();
                    return got;
                } catch (SQLException | RuntimeException e) {
                    Transactions.rollbackAfter(c, e);
                    throw e;
                } finally {
                    Transactions.restoreAutoCommit(c, auto);
                }
            });
            if (r.isPresent()) {
                return r.get();
            }
        }
        return Optional.empty();
    }

    // Empty: lost a race, try again; of empty: no free slot.
    private Optional<Optional<Slot>> tryClaim(
            Connection c,
            String server,
            LeaseRules.SlotRange range,
            String node,
            String holder,
            long now,
            long expiresAt)
            throws SQLException {
        if (!postgres) {
            // SQLite: one statement that writes first (a read before the write could meet SQLITE_BUSY in WAL mode).
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_server_slot SET node = ?, holder = ?,"
                    + " expires_at = ?, generation = generation + 1, acquired_at = ?"
                    + " WHERE server = ? AND expires_at <= ? AND slot = (SELECT slot FROM sync_server_slot"
                    + " WHERE server = ? AND slot BETWEEN ? AND ? AND expires_at <= ? ORDER BY slot "
                    + (range.descending() ? "DESC" : "ASC") + " LIMIT 1) RETURNING slot, generation")) {
                ps.setString(1, node);
                ps.setString(2, holder.length() > 400 ? holder.substring(0, 400) : holder);
                ps.setLong(3, expiresAt);
                ps.setLong(4, now);
                ps.setString(5, server);
                ps.setLong(6, now);
                ps.setString(7, server);
                ps.setInt(8, range.low());
                ps.setInt(9, range.high());
                ps.setLong(10, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return Optional.of(
                            rs.next()
                                    ? Optional.of(new Slot(server, rs.getInt(1), node, rs.getLong(2)))
                                    : Optional.empty());
                }
            }
        }
        int slot;
        try (PreparedStatement ps = c.prepareStatement("SELECT slot FROM sync_server_slot WHERE server = ?"
                + " AND slot BETWEEN ? AND ? AND expires_at <= ? ORDER BY slot "
                + (range.descending() ? "DESC" : "ASC") + " LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, server);
            ps.setInt(2, range.low());
            ps.setInt(3, range.high());
            ps.setLong(4, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.of(Optional.empty());
                }
                slot = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE sync_server_slot SET node = ?, holder = ?,"
                + " expires_at = ?, generation = generation + 1, acquired_at = ?"
                + " WHERE server = ? AND slot = ? AND expires_at <= ? RETURNING generation")) {
            ps.setString(1, node);
            ps.setString(2, holder.length() > 400 ? holder.substring(0, 400) : holder);
            ps.setLong(3, expiresAt);
            ps.setLong(4, now);
            ps.setString(5, server);
            ps.setInt(6, slot);
            ps.setLong(7, now);
            try (ResultSet rs = ps.executeQuery()) {
                // No row: the slot was taken between the pick and the update (it cannot be on PostgreSQL: locked).
                return rs.next()
                        ? Optional.of(Optional.of(new Slot(server, slot, node, rs.getLong(1))))
                        : Optional.empty();
            }
        }
    }

    /** Extends the slot to {@code expiresAt}; false when it is no longer this claim's. */
    public boolean renew(Slot s, long now, long expiresAt) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_server_slot SET expires_at = ?"
                    + " WHERE server = ? AND slot = ? AND node = ? AND generation = ? AND expires_at > ?")) {
                ps.setLong(1, expiresAt);
                ps.setString(2, s.server());
                ps.setInt(3, s.slot());
                ps.setString(4, s.node());
                ps.setLong(5, s.generation());
                ps.setLong(6, now);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The connection closed: the slot is free at once. */
    public void release(Slot s) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_server_slot SET expires_at = 0"
                    + " WHERE server = ? AND slot = ? AND node = ? AND generation = ?")) {
                ps.setString(1, s.server());
                ps.setInt(2, s.slot());
                ps.setString(3, s.node());
                ps.setLong(4, s.generation());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** How many slots of {@code server} are held at {@code now}, by every node. */
    public int held(String server, long now) {
        return run(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT COUNT(*) FROM sync_server_slot WHERE server = ? AND expires_at > ?")) {
                ps.setString(1, server);
                ps.setLong(2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StateStoreException("sync connection slots failed: " + e.getMessage(), e);
        }
    }
}
