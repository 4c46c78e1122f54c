package io.mxcutover.appliance.store;

import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.sync.state.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The persisted cutover phase of each domain and the audit log, written together in one transaction:
 * a transition is on disk, with its audit line, before anyone acts on it.
 */
public final class DomainPhases {
    private final DataSource ds;
    private final Clock clock;

    public DomainPhases(Store store, Clock clock) {
        this.ds = store.dataSource();
        this.clock = clock;
    }

    /** The domain's phase; a domain never transitioned is {@link CutoverPhase#RELAYING}. */
    public CutoverPhase phase(String domain) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT phase FROM domain_phase WHERE domain = ?")) {
            s.setString(1, domain);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? CutoverPhase.valueOf(rs.getString(1)) : CutoverPhase.RELAYING;
            }
        } catch (SQLException e) {
            throw new StoreException("reading the phase of domain " + domain, e);
        }
    }

    /** Every domain with a stored phase. */
    public Map<String, CutoverPhase> all() {
        Map<String, CutoverPhase> out = new HashMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT domain, phase FROM domain_phase");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) out.put(rs.getString(1), CutoverPhase.valueOf(rs.getString(2)));
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading domain phases", e);
        }
    }

    /** SQL that belongs to a transition: run in its transaction, after the phase moved, before the commit. */
    @FunctionalInterface
    public interface InTransition {
        void run(Connection c) throws SQLException;
    }

    /**
     * Moves {@code domain} from {@code from} to {@code to} and audits it, atomically. Returns false (and
     * writes nothing) when the stored phase is no longer {@code from}: someone else moved it first.
     */
    public boolean transition(
            String domain, CutoverPhase from, CutoverPhase to, String actor, String reason, String details) {
        return transition(domain, from, to, actor, reason, details, c -> {});
    }

    /**
     * As {@link #transition(String, CutoverPhase, CutoverPhase, String, String, String)}, and {@code also} in the
     * same transaction (the cutover's record, a forced close). Safe across nodes sharing the store: the phase moves
     * by a conditional UPDATE whose row count is checked (on PostgreSQL the row stays locked until the commit, so a
     * second node's UPDATE waits and then finds the phase moved); a domain's first row is an INSERT that a second
     * node's INSERT cannot repeat (primary key). Two nodes receiving the same call make one transition, one audit
     * entry, one record; the other gets false.
     */
    public boolean transition(
            String domain,
            CutoverPhase from,
            CutoverPhase to,
            String actor,
            String reason,
            String details,
            InTransition also) {
        Instant now = clock.instant();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                int changed;
                try (PreparedStatement u = c.prepareStatement(
                        "UPDATE domain_phase SET phase = ?, changed_at = ?, changed_by = ? WHERE domain = ? AND phase = ?")) {
                    u.setString(1, to.name());
                    u.setString(2, now.toString());
                    u.setString(3, actor);
                    u.setString(4, domain);
                    u.setString(5, from.name());
                    changed = u.executeUpdate();
                }
                if (changed == 0 && from == CutoverPhase.RELAYING && !exists(c, domain)) {
                    try (PreparedStatement i = c.prepareStatement(
                            "INSERT INTO domain_phase (domain, phase, changed_at, changed_by) VALUES (?, ?, ?, ?)")) {
                        i.setString(1, domain);
                        i.setString(2, to.name());
                        i.setString(3, now.toString());
                        i.setString(4, actor);
                        changed = i.executeUpdate();
                    }
                }
                if (changed == 0) {
                    c.rollback();
                    return false;
                }
                also.run(c);
                AuditLog.insert(
                        c,
                        now,
                        actor,
                        Optional.of(domain),
                        "phase",
                        Optional.of(from.name()),
                        Optional.of(to.name()),
                        reason,
                        details);
                c.commit();
                return true;
            } catch (SQLException e) {
                Transactions.rollbackAfter(c, e);
                if (Store.duplicateKey(e)) {
                    // Another node inserted the domain's first row between our UPDATE and INSERT: it moved first.
                    return false;
                }
                throw e;
            } catch (RuntimeException e) {
                Transactions.rollbackAfter(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("moving domain " + domain + " from " + from + " to " + to, e);
        }
    }

    private static boolean exists(Connection c, String domain) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM domain_phase WHERE domain = ?")) {
            s.setString(1, domain);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
