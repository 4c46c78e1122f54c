package io.mxcutover.appliance.inventory;

import io.mxcutover.appliance.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The newest inventory of each domain (migration {@code db/appliance/V7}, table {@code domain_inventory}). An
 * admin reads a domain's with:
 * <pre>
 * SELECT state, requested_by, started_at, finished_at, mailboxes_done, mailboxes_total, error
 *   FROM domain_inventory WHERE domain = 'example.org';
 * </pre>
 */
final class InventoryRecords {
    private final DataSource ds;

    InventoryRecords(DataSource ds) {
        this.ds = ds;
    }

    /** A stored run: the report is JSON text, present once the run is done. */
    record Stored(
            String domain,
            String requestedBy,
            String state,
            Instant startedAt,
            Optional<Instant> finishedAt,
            int mailboxesTotal,
            int mailboxesDone,
            Optional<String> error,
            Optional<String> report) {}

    void started(String domain, String requestedBy, Instant at, int total) {
        execute(
                "INSERT INTO domain_inventory (domain, requested_by, state, started_at, finished_at, mailboxes_total,"
                        + " mailboxes_done, error, report) VALUES (?,?,'running',?,NULL,?,0,NULL,NULL) ON CONFLICT (domain)"
                        + " DO UPDATE SET requested_by = excluded.requested_by, state = 'running', started_at = excluded.started_at,"
                        + " finished_at = NULL, mailboxes_total = excluded.mailboxes_total, mailboxes_done = 0, error = NULL,"
                        + " report = NULL",
                domain,
                requestedBy,
                at.toEpochMilli(),
                total);
    }

    /**
     * Only forward: the mailboxes are taken in parallel, so the update for "2 done" can land after the one
     * for "3 done" (seen in ConsoleIT as a finished run showing 2/3).
     */
    void progress(String domain, int done) {
        execute(
                "UPDATE domain_inventory SET mailboxes_done = ? WHERE domain = ? AND state = 'running'"
                        + " AND mailboxes_done < ?",
                done,
                domain,
                done);
    }

    void finished(String domain, Instant at, String report) {
        execute(
                "UPDATE domain_inventory SET state = 'done', finished_at = ?, report = ? WHERE domain = ?",
                at.toEpochMilli(),
                report,
                domain);
    }

    void failed(String domain, Instant at, String error) {
        execute(
                "UPDATE domain_inventory SET state = 'failed', finished_at = ?, error = ? WHERE domain = ?",
                at.toEpochMilli(),
                error,
                domain);
    }

    Optional<Stored> of(String domain) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT requested_by, state,"
                        + " started_at, finished_at, mailboxes_total, mailboxes_done, error, report FROM domain_inventory"
                        + " WHERE domain = ?")) {
            ps.setString(1, domain);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long finished = rs.getLong(4);
                Optional<Instant> finishedAt =
                        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished));
                return Optional.of(new Stored(
                        domain,
                        rs.getString(1),
                        rs.getString(2),
                        Instant.ofEpochMilli(rs.getLong(3)),
                        finishedAt,
                        rs.getInt(5),
                        rs.getInt(6),
                        Optional.ofNullable(rs.getString(7)),
                        Optional.ofNullable(rs.getString(8))));
            }
        } catch (SQLException e) {
            throw new StoreException("reading the inventory of " + domain + " failed: " + e.getMessage(), e);
        }
    }

    private void execute(String sql, Object... args) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    ps.setNull(i + 1, Types.VARCHAR);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("writing the inventory failed: " + e.getMessage(), e);
        }
    }
}
