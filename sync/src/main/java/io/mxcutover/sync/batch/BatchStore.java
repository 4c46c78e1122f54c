package io.mxcutover.sync.batch;

import io.mxcutover.sync.mailbox.MailboxAddress;
import io.mxcutover.sync.state.StateStoreException;
import io.mxcutover.sync.state.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The batches and their members in the store ({@code sync_batch}, {@code sync_batch_mailbox}). Names and
 * addresses are kept in lower case. A state change is a compare-and-set on the state the caller read, so
 * two admins pausing and completing at once cannot both win.
 */
public final class BatchStore {
    private static final String COLUMNS = "domain, name, state, created_at, started_at, paused_at, completed_at,"
            + " final_pass_at, final_pass, updated_at, updated_by";

    private final DataSource ds;
    private final Clock clock;

    public BatchStore(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    public static String key(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Puts each address into its batch (created as NEW when missing), moving it out of any other; an empty
     * batch name takes the address out of every batch. One transaction: all or nothing.
     */
    public void assign(Map<String, String> batchOf, String by) {
        long now = clock.millis();
        write(c -> {
            try (PreparedStatement create = c.prepareStatement(
                            "INSERT INTO sync_batch (domain, name, state, created_at,"
                                    + " updated_at, updated_by) VALUES (?,?,'NEW',?,?,?) ON CONFLICT (domain, name) DO NOTHING");
                    PreparedStatement member =
                            c.prepareStatement("INSERT INTO sync_batch_mailbox (address, domain, batch,"
                                    + " assigned_at) VALUES (?,?,?,?) ON CONFLICT (address) DO UPDATE SET domain = excluded.domain,"
                                    + " batch = excluded.batch, assigned_at = excluded.assigned_at");
                    PreparedStatement remove = c.prepareStatement("DELETE FROM sync_batch_mailbox WHERE address = ?")) {
                for (Map.Entry<String, String> e : batchOf.entrySet()) {
                    String address = key(e.getKey());
                    String domain = MailboxAddress.domainOf(address);
                    String batch = key(e.getValue());
                    if (batch.isEmpty()) {
                        remove.setString(1, address);
                        remove.addBatch();
                        continue;
                    }
                    create.setString(1, domain);
                    create.setString(2, batch);
                    create.setLong(3, now);
                    create.setLong(4, now);
                    create.setString(5, by);
                    create.addBatch();
                    member.setString(1, address);
                    member.setString(2, domain);
                    member.setString(3, batch);
                    member.setLong(4, now);
                    member.addBatch();
                }
                create.executeBatch();
                member.executeBatch();
                remove.executeBatch();
            }
        });
    }

    public List<Batch> batches(String domain) {
        return query(
                "SELECT " + COLUMNS + " FROM sync_batch WHERE domain = ? ORDER BY created_at, name",
                ps -> ps.setString(1, key(domain)),
                BatchStore::batch);
    }

    public Optional<Batch> batch(String domain, String name) {
        return query(
                        "SELECT " + COLUMNS + " FROM sync_batch WHERE domain = ? AND name = ?",
                        ps -> {
                            ps.setString(1, key(domain));
                            ps.setString(2, key(name));
                        },
                        BatchStore::batch)
                .stream()
                .findFirst();
    }

    /** The addresses in the batch, sorted. */
    public List<String> members(String domain, String name) {
        return query(
                "SELECT address FROM sync_batch_mailbox WHERE domain = ? AND batch = ? ORDER BY address",
                ps -> {
                    ps.setString(1, key(domain));
                    ps.setString(2, key(name));
                },
                rs -> rs.getString(1));
    }

    /** The batch of a mailbox and its state; empty when the mailbox is in no batch. */
    public Optional<Membership> membership(String address) {
        return query(
                        "SELECT m.batch, b.state FROM sync_batch_mailbox m JOIN sync_batch b"
                                + " ON b.domain = m.domain AND b.name = m.batch WHERE m.address = ?",
                        ps -> ps.setString(1, key(address)),
                        rs -> new Membership(rs.getString(1), BatchState.valueOf(rs.getString(2))))
                .stream()
                .findFirst();
    }

    /** A mailbox's batch and that batch's state. */
    public record Membership(String batch, BatchState state) {}

    /**
     * Moves the batch from {@code from} to {@code to} if it is still at {@code from}; false when another
     * change came first. Sets the time of the first start, of the pause (cleared on resume), and of the
     * completion (the final pass then counts as running until {@link #finalPassDone}).
     */
    public boolean transition(String domain, String name, BatchState from, BatchState to, String by) {
        long now = clock.millis();
        int[] updated = new int[1];
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_batch SET state = ?,"
                    + " started_at = CASE WHEN started_at IS NULL AND ? = 'STARTED' THEN ? ELSE started_at END,"
                    + " paused_at = CASE WHEN ? = 'PAUSED' THEN ? ELSE NULL END,"
                    + " completed_at = CASE WHEN ? = 'COMPLETED' THEN ? ELSE completed_at END,"
                    + " final_pass_at = CASE WHEN ? = 'COMPLETED' THEN NULL ELSE final_pass_at END,"
                    + " updated_at = ?, updated_by = ? WHERE domain = ? AND name = ? AND state = ?")) {
                int i = 1;
                ps.setString(i++, to.name());
                ps.setString(i++, to.name());
                ps.setLong(i++, now);
                ps.setString(i++, to.name());
                ps.setLong(i++, now);
                ps.setString(i++, to.name());
                ps.setLong(i++, now);
                ps.setString(i++, to.name());
                ps.setLong(i++, now);
                ps.setString(i++, by);
                ps.setString(i++, key(domain));
                ps.setString(i++, key(name));
                ps.setString(i, from.name());
                updated[0] = ps.executeUpdate();
            }
        });
        return updated[0] == 1;
    }

    /** The final pass of the last "complete" finished; {@code json} is its result. */
    public void finalPassDone(String domain, String name, Instant at, String json) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sync_batch SET final_pass_at = ?, final_pass = ?" + " WHERE domain = ? AND name = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, json);
                ps.setString(3, key(domain));
                ps.setString(4, key(name));
                ps.executeUpdate();
            }
        });
    }

    /** Messages and bytes the journal has DONE for the batch's mailboxes: the batch's odometer, for its rate. */
    public long[] copiedTotals(String domain, String name) {
        return query(
                        "SELECT COUNT(*), COALESCE(SUM(s.size), 0) FROM sync_message s JOIN sync_batch_mailbox m"
                                + " ON m.address = s.mailbox WHERE m.domain = ? AND m.batch = ? AND s.state = 'DONE'",
                        ps -> {
                            ps.setString(1, key(domain));
                            ps.setString(2, key(name));
                        },
                        rs -> new long[] {rs.getLong(1), rs.getLong(2)})
                .get(0);
    }

    private static Batch batch(ResultSet rs) throws SQLException {
        return new Batch(
                rs.getString(1),
                rs.getString(2),
                BatchState.valueOf(rs.getString(3)),
                Instant.ofEpochMilli(rs.getLong(4)),
                instant(rs, 5),
                instant(rs, 6),
                instant(rs, 7),
                instant(rs, 8),
                Optional.ofNullable(rs.getString(9)),
                Instant.ofEpochMilli(rs.getLong(10)),
                rs.getString(11));
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private void write(Work work) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackAfter(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StateStoreException("writing the batches", e);
        }
    }

    private <T> List<T> query(String sql, Binder binder, Mapper<T> mapper) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StateStoreException("reading the batches", e);
        }
    }
}
