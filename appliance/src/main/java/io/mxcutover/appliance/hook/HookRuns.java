package io.mxcutover.appliance.hook;

import io.mxcutover.appliance.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The hooks' tables: {@code hook_run} (every run) and {@code hook_mailbox_event} (once-per-mailbox events). */
public final class HookRuns {
    private final DataSource ds;
    private final Clock clock;

    public HookRuns(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** A run as the API shows it. */
    public record Stored(
            String id,
            Instant at,
            String hook,
            String event,
            String domain,
            Optional<String> mailbox,
            Optional<String> batch,
            String outcome,
            Optional<Integer> exitCode,
            long tookMillis,
            String output) {}

    public void save(HookRun r) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO hook_run (id,"
                        + " at_millis, at, hook, event, domain, mailbox, batch, outcome, exit_code, took_millis, output)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, java.util.UUID.randomUUID().toString());
            ps.setLong(2, r.startedAt().toEpochMilli());
            ps.setString(3, r.startedAt().toString());
            ps.setString(4, r.hook());
            ps.setString(5, r.context().event().word());
            ps.setString(6, r.context().domain());
            ps.setString(7, r.context().mailbox().orElse(null));
            ps.setString(8, r.context().batch().orElse(null));
            ps.setString(9, r.outcome().name());
            if (r.exitCode().isPresent()) {
                ps.setInt(10, r.exitCode().getAsInt());
            } else {
                ps.setNull(10, java.sql.Types.INTEGER);
            }
            ps.setLong(11, r.took().toMillis());
            ps.setString(12, r.output());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording a hook run", e);
        }
    }

    /** The newest runs first; optionally one domain's, one batch's, only those that did not end with exit 0. */
    public List<Stored> recent(Optional<String> domain, Optional<String> batch, boolean failedOnly, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, at, hook, event, domain, mailbox, batch, outcome, exit_code,"
                + " took_millis, output FROM hook_run WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        domain.ifPresent(d -> {
            sql.append(" AND domain = ?");
            args.add(d);
        });
        batch.ifPresent(b -> {
            sql.append(" AND batch = ?");
            args.add(b);
        });
        if (failedOnly) {
            sql.append(" AND outcome <> 'OK'");
        }
        sql.append(" ORDER BY at_millis DESC, id DESC");
        List<Stored> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int exit = rs.getInt(9);
                    Optional<Integer> exitCode = rs.wasNull() ? Optional.empty() : Optional.of(exit);
                    out.add(new Stored(
                            rs.getString(1),
                            Instant.parse(rs.getString(2)),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            Optional.ofNullable(rs.getString(6)),
                            Optional.ofNullable(rs.getString(7)),
                            rs.getString(8),
                            exitCode,
                            rs.getLong(10),
                            rs.getString(11)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading the hook runs", e);
        }
    }

    /** Records that {@code event} happened to the mailbox; true only the first time (until {@link #forget}). */
    public boolean firstTime(String address, HookEvent event) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO"
                                + " hook_mailbox_event (address, event, at_millis) VALUES (?,?,?) ON CONFLICT (address, event) DO NOTHING")) {
            ps.setString(1, address);
            ps.setString(2, event.word());
            ps.setLong(3, clock.millis());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("recording a mailbox event", e);
        }
    }

    public void forget(String address, HookEvent event) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("DELETE FROM hook_mailbox_event WHERE address = ? AND event = ?")) {
            ps.setString(1, address);
            ps.setString(2, event.word());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording a mailbox event", e);
        }
    }
}
