package io.mxcutover.appliance.cluster;

import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The {@code cluster_node} table: who registered, and when each node's heartbeat was last renewed. A node is alive
 * while its heartbeat is within {@value #ALIVE_PERIODS} heartbeat periods of this node's clock.
 */
public final class NodeRegistry {
    static final int ALIVE_PERIODS = 3;

    private final DataSource ds;
    private final Clock clock;
    private final Duration heartbeat;

    public NodeRegistry(Store store, Clock clock, Duration heartbeat) {
        this.ds = store.dataSource();
        this.clock = clock;
        this.heartbeat = heartbeat;
    }

    /** Writes this node's row (a restarted node keeps its id and gets a new start time). */
    public void register(String id, String address, String version, Instant startedAt) {
        long now = clock.millis();
        try (Connection c = ds.getConnection()) {
            if (updateRow(c, id, address, version, startedAt, now) == 1) {
                return;
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO cluster_node (id, address, version,"
                    + " started_at_millis, heartbeat_millis) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, address);
                s.setString(3, version);
                s.setLong(4, startedAt.toEpochMilli());
                s.setLong(5, now);
                s.executeUpdate();
            } catch (SQLException e) {
                if (!Store.duplicateKey(e)) {
                    throw e;
                }
                updateRow(c, id, address, version, startedAt, now);
            }
        } catch (SQLException e) {
            throw new StoreException("registering node " + id, e);
        }
    }

    private static int updateRow(Connection c, String id, String address, String version, Instant startedAt, long now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE cluster_node SET address = ?, version = ?,"
                + " started_at_millis = ?, heartbeat_millis = ? WHERE id = ?")) {
            s.setString(1, address);
            s.setString(2, version);
            s.setLong(3, startedAt.toEpochMilli());
            s.setLong(4, now);
            s.setString(5, id);
            return s.executeUpdate();
        }
    }

    /** Renews the heartbeat; false when the node's row is gone (an operator deleted it): register again. */
    public boolean heartbeat(String id) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE cluster_node SET heartbeat_millis = ? WHERE id = ?")) {
            s.setLong(1, clock.millis());
            s.setString(2, id);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("renewing the heartbeat of node " + id, e);
        }
    }

    /** Every registered node, by id, with whether it is alive and the sync leases it holds now. */
    public List<ClusterNode> nodes() {
        long now = clock.millis();
        List<ClusterNode> out = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            Map<String, Integer> leases = leases(c, now);
            try (PreparedStatement s = c.prepareStatement("SELECT id, address, version, started_at_millis,"
                            + " heartbeat_millis FROM cluster_node ORDER BY id");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long beat = rs.getLong(5);
                    out.add(new ClusterNode(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)),
                            Instant.ofEpochMilli(beat),
                            alive(beat, now),
                            leases.getOrDefault(rs.getString(1), 0)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading the cluster's nodes", e);
        }
    }

    /** Whether node {@code id} renewed its heartbeat within three periods; false for a node never registered. */
    public boolean alive(String id) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT heartbeat_millis FROM cluster_node WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && alive(rs.getLong(1), clock.millis());
            }
        } catch (SQLException e) {
            throw new StoreException("reading the heartbeat of node " + id, e);
        }
    }

    private boolean alive(long heartbeatMillis, long now) {
        return now - heartbeatMillis <= ALIVE_PERIODS * heartbeat.toMillis();
    }

    /**
     * The unexpired sync mailbox leases per node, from the sync's {@code sync_lease} table; none while that table
     * does not exist (a sync without leased work).
     */
    private static Map<String, Integer> leases(Connection c, long now) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        if (!tableExists(c, "sync_lease")) {
            return out;
        }
        try (PreparedStatement s =
                c.prepareStatement("SELECT node, COUNT(*) FROM sync_lease WHERE expires_at > ? GROUP BY node")) {
            s.setLong(1, now);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
            return rs.next();
        }
    }
}
