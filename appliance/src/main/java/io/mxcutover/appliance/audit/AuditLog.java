package io.mxcutover.appliance.audit;

import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreException;
import io.mxcutover.sync.state.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Append-only record of admin actions and phase changes. Read newest first: by time on the clock of the node that
 * wrote the entry, and entries of one millisecond in the reverse of the order they were committed ({@code seq},
 * migrations V5 and V8: one counter for every node sharing the store), so every node lists them in the same order.
 */
public final class AuditLog {
    private final DataSource ds;
    private final Clock clock;

    public AuditLog(Store store, Clock clock) {
        this.ds = store.dataSource();
        this.clock = clock;
    }

    /** Records an action that is not a phase change (window extended, plan reloaded, queue entry deleted...). */
    public void record(String actor, Optional<String> domain, String action, String reason, String details) {
        try (Connection c = ds.getConnection()) {
            insert(c, clock.instant(), actor, domain, action, Optional.empty(), Optional.empty(), reason, details);
        } catch (SQLException e) {
            throw new StoreException("writing the audit log (" + action + ")", e);
        }
    }

    /** The newest entries first, optionally for one domain. */
    public List<AuditEntry> recent(Optional<String> domain, int limit) {
        String sql = "SELECT id, at, actor, domain, action, from_phase, to_phase, reason, details FROM audit_log"
                + (domain.isPresent() ? " WHERE domain = ?" : "") + " ORDER BY at_millis DESC, seq DESC";
        List<AuditEntry> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            if (domain.isPresent()) s.setString(1, domain.get());
            s.setMaxRows(limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(
                            rs.getString(1),
                            Instant.parse(rs.getString(2)),
                            rs.getString(3),
                            Optional.ofNullable(rs.getString(4)),
                            rs.getString(5),
                            Optional.ofNullable(rs.getString(6)),
                            Optional.ofNullable(rs.getString(7)),
                            nullToEmpty(rs.getString(8)),
                            nullToEmpty(rs.getString(9))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading the audit log", e);
        }
    }

    /**
     * Writes one entry on {@code c}. Its {@code seq} comes from the one row of {@code audit_seq} (migration V8),
     * incremented in the same transaction: unique across the nodes that share the store, and in commit order. On a
     * connection in auto-commit mode both statements run in a transaction of their own; otherwise they join the
     * caller's (a phase change and its entry commit together).
     */
    public static void insert(
            Connection c,
            Instant at,
            String actor,
            Optional<String> domain,
            String action,
            Optional<String> from,
            Optional<String> to,
            String reason,
            String details)
            throws SQLException {
        boolean own = c.getAutoCommit();
        if (own) {
            c.setAutoCommit(false);
        }
        try {
            try (PreparedStatement next =
                    c.prepareStatement("UPDATE audit_seq SET last_seq = last_seq + 1 WHERE id = 1")) {
                if (next.executeUpdate() != 1) {
                    throw new SQLException("the audit_seq row is missing (migration V8 of the appliance)");
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_log "
                    + "(id, at_millis, at, actor, domain, action, from_phase, to_phase, reason, details, seq) "
                    + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, last_seq FROM audit_seq WHERE id = 1")) {
                s.setString(1, UUID.randomUUID().toString());
                s.setLong(2, at.toEpochMilli());
                s.setString(3, at.toString());
                s.setString(4, actor);
                s.setString(5, domain.orElse(null));
                s.setString(6, action);
                s.setString(7, from.orElse(null));
                s.setString(8, to.orElse(null));
                s.setString(9, reason);
                s.setString(10, details);
                s.executeUpdate();
            }
            if (own) {
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            if (own) {
                Transactions.rollbackAfter(c, e);
            }
            throw e;
        } finally {
            if (own) {
                Transactions.restoreAutoCommit(c, true);
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
