package io.mxcutover.appliance.cluster;

import io.dropwizard.lifecycle.Managed;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job that runs on one node at a time (the DNS watcher: {@code dns-watch}): the node that holds the row of
 * {@code cluster_lease} until {@code expires_at_millis} leads. Taken and renewed by one conditional UPDATE (the
 * lease is this node's or expired), so two nodes never both take it; renewed every third of the lease; a leader that
 * dies (or loses the database) stops renewing and another node takes over when the lease expires. Stopping releases
 * it, so a restart hands over at once.
 *
 * <p>Each node judges expiry by its own clock: the nodes' clocks must agree to well within the lease (NTP).
 */
public final class LeaderLease implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderLease.class);

    private final DataSource ds;
    private final String name;
    private final String node;
    private final Clock clock;
    private final Duration lease;
    private volatile long heldUntil;
    private ScheduledExecutorService timer;

    public LeaderLease(Store store, String name, String node, Clock clock, Duration lease) {
        this.ds = store.dataSource();
        this.name = name;
        this.node = node;
        this.clock = clock;
        this.lease = lease;
    }

    /** Takes the lease or renews it; true when this node holds it now. */
    public synchronized boolean tryHold() {
        long now = clock.millis();
        boolean before = held();
        boolean holds;
        try (Connection c = ds.getConnection()) {
            holds = take(c, now) == 1;
            if (!holds && insertMissing(c, now)) {
                holds = true;
            }
        } catch (SQLException e) {
            throw new StoreException("taking the " + name + " lease for node " + node, e);
        }
        heldUntil = holds ? now + lease.toMillis() : 0;
        if (holds && !before) {
            LOG.info("Node {} leads {} (lease of {} s)", node, name, lease.toSeconds());
        } else if (!holds && before) {
            LOG.warn("Node {} no longer leads {}: another node took the lease", node, name);
        }
        return holds;
    }

    private int take(Connection c, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE cluster_lease SET acquired_at_millis = CASE WHEN node"
                + " = ? THEN acquired_at_millis ELSE ? END, node = ?, expires_at_millis = ? WHERE name = ? AND"
                + " (node = ? OR expires_at_millis <= ?)")) {
            s.setString(1, node);
            s.setLong(2, now);
            s.setString(3, node);
            s.setLong(4, now + lease.toMillis());
            s.setString(5, name);
            s.setString(6, node);
            s.setLong(7, now);
            return s.executeUpdate();
        }
    }

    // Only a lease name without its row from the migration gets here; a racing insert loses on the primary key.
    private boolean insertMissing(Connection c, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO cluster_lease (name, node, acquired_at_millis,"
                        + " expires_at_millis) SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM cluster_lease WHERE name = ?)")) {
            s.setString(1, name);
            s.setString(2, node);
            s.setLong(3, now);
            s.setLong(4, now + lease.toMillis());
            s.setString(5, name);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            if (Store.duplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Whether this node holds the lease now, by its clock (no database access). */
    public boolean held() {
        return clock.millis() < heldUntil;
    }

    /** Gives the lease up (at stop), so another node takes it at its next try instead of after the expiry. */
    public synchronized void release() {
        if (heldUntil == 0) {
            return;
        }
        heldUntil = 0;
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE cluster_lease SET expires_at_millis = 0 WHERE name = ? AND node = ?")) {
            s.setString(1, name);
            s.setString(2, node);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Node {}: the {} lease was not released (it expires by itself): {}", node, name, e.toString());
        }
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-lease-" + name);
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, lease.toMillis() / 3);
        var unused = timer.scheduleWithFixedDelay(this::tryQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    // Called on the timer's thread only.
    private boolean failing;

    private void tryQuietly() {
        try {
            tryHold();
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn(
                        "Node {}: the {} lease could not be taken or renewed; it does not lead (or stops when the"
                                + " lease expires) until the store answers again: {}",
                        node,
                        name,
                        e.toString());
                failing = true;
            }
        }
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
        }
        release();
    }
}
