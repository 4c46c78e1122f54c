package io.mxcutover.appliance.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the multi-node tests read in the nodes' shared PostgreSQL database: the mailboxes' sync status
 * ({@code sync_mailbox}), the leases ({@code sync_lease(mailbox, node, expires_at)}, issue 16) and the logged passes
 * ({@code sync_pass}). One connection, kept: the tests poll it many times a second.
 */
final class ClusterStoreView implements AutoCloseable {
    private final ApplianceNodes nodes;
    private Connection connection;

    ClusterStoreView(ApplianceNodes nodes) {
        this.nodes = nodes;
    }

    private synchronized Connection db() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = nodes.database();
        }
        return connection;
    }

    /** How many of these mailboxes are SYNCED. */
    synchronized int synced(Set<String> addresses) throws SQLException {
        int n = 0;
        try (Statement st = db().createStatement();
                ResultSet rs = st.executeQuery("SELECT address, status FROM sync_mailbox")) {
            while (rs.next()) {
                if (addresses.contains(rs.getString(1)) && rs.getString(2).equals("SYNCED")) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The node's unexpired sync leases at {@code nowMillis}: mailbox -> expires_at (epoch millis). */
    synchronized Map<String, Long> leasesOf(String node, long nowMillis) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (PreparedStatement ps =
                db().prepareStatement("SELECT mailbox, expires_at FROM sync_lease WHERE node = ? AND expires_at > ?")) {
            ps.setString(1, node);
            ps.setLong(2, nowMillis);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** When the first logged pass of the mailbox still running at {@code millis}, or begun later, began. */
    synchronized long firstPassEndingAfter(String mailbox, long millis) throws SQLException {
        try (PreparedStatement ps =
                db().prepareStatement("SELECT MIN(started_at) FROM sync_pass WHERE mailbox = ? AND finished_at >= ?")) {
            ps.setString(1, mailbox);
            ps.setLong(2, millis);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                long v = rs.getLong(1);
                assertThat(rs.wasNull())
                        .as("a logged pass of %s after %d", mailbox, millis)
                        .isFalse();
                return v;
            }
        }
    }

    /**
     * Pairs of logged passes of one mailbox whose times overlap (sync_pass holds a mailbox's first pass, passes that
     * change its phase and those of 20 messages or more).
     */
    synchronized List<String> overlappingPasses(Set<String> addresses) throws SQLException {
        Map<String, List<long[]>> passes = new TreeMap<>();
        try (Statement st = db().createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT mailbox, started_at, finished_at FROM sync_pass ORDER BY started_at")) {
            while (rs.next()) {
                if (addresses.contains(rs.getString(1))) {
                    passes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        List<String> overlaps = new ArrayList<>();
        passes.forEach((mailbox, list) -> {
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i)[0] < list.get(i - 1)[1]) {
                    overlaps.add(mailbox + " " + list.get(i - 1)[0] + "-" + list.get(i - 1)[1] + " and "
                            + list.get(i)[0] + "-" + list.get(i)[1]);
                }
            }
        });
        return overlaps;
    }

    @Override
    public synchronized void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }
}
