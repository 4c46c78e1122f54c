package io.mxcutover.appliance.cutover;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.jackson.Jackson;
import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreException;
import io.mxcutover.appliance.window.ForcedClose;
import io.mxcutover.appliance.window.WindowExtension;
import io.mxcutover.appliance.window.WindowOverrides;
import io.mxcutover.sync.state.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The cutover's own tables (migration {@code db/appliance/V2}): {@code cutover}, {@code window_override},
 * {@code domain_report}. The phase itself and its audit line live in {@code domain_phase} /
 * {@code audit_log}, written by {@link io.mxcutover.appliance.store.DomainPhases}; rows here are written
 * before the phase change they belong to (intent first), and removed again if the change did not happen.
 */
public final class CutoverRecords {
    private static final TypeReference<List<Check>> CHECKS = new TypeReference<>() {};
    private static final TypeReference<List<FinalPass>> FINAL_PASS = new TypeReference<>() {};

    private final DataSource ds;
    private final ObjectMapper json;

    public CutoverRecords(Store store) {
        this.ds = store.dataSource();
        this.json = Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** Records a cutover about to happen; returns its id. */
    public String begin(
            String domain,
            Instant at,
            String actor,
            String reason,
            boolean forced,
            List<Check> readiness,
            long copiedBefore) {
        String id = UUID.randomUUID().toString();
        try (Connection c = ds.getConnection()) {
            begin(c, id, domain, at, actor, reason, forced, readiness, copiedBefore, null);
            return id;
        } catch (SQLException e) {
            throw new StoreException("recording the cutover of " + domain, e);
        }
    }

    /**
     * Records cutover {@code id} on {@code c} (the transaction of its phase change, so two nodes cutting over at
     * once write one record); {@code node} runs its final pass (null: not known).
     */
    public void begin(
            Connection c,
            String id,
            String domain,
            Instant at,
            String actor,
            String reason,
            boolean forced,
            List<Check> readiness,
            long copiedBefore,
            String node)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO cutover (id, domain, seq, at_millis, at, actor,"
                + " reason, forced, readiness, copied_before, final_pass_node) SELECT ?, ?, COALESCE(MAX(seq), 0) + 1,"
                + " ?, ?, ?, ?, ?, ?, ?, ? FROM cutover WHERE domain = ?")) {
            s.setString(1, id);
            s.setString(2, domain);
            s.setLong(3, at.toEpochMilli());
            s.setString(4, at.toString());
            s.setString(5, actor);
            s.setString(6, reason);
            s.setInt(7, forced ? 1 : 0);
            s.setString(8, write(readiness));
            s.setLong(9, copiedBefore);
            s.setString(10, node);
            s.setString(11, domain);
            s.executeUpdate();
        }
    }

    /** The node that runs the final pass of a cutover; empty when not recorded (a cutover from before V8). */
    public Optional<String> finalPassNode(String cutoverId) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT final_pass_node FROM cutover WHERE id = ?")) {
            s.setString(1, cutoverId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("reading the final pass node of cutover " + cutoverId, e);
        }
    }

    /**
     * Gives the final pass of a cutover to {@code node} when it is still {@code previous}'s (null: nobody's):
     * a conditional UPDATE, so of two nodes taking over a dead node's pass one gets it.
     */
    public boolean takeFinalPass(String cutoverId, String previous, String node) {
        String sql = "UPDATE cutover SET final_pass_node = ? WHERE id = ? AND final_pass_at IS NULL AND "
                + (previous == null ? "final_pass_node IS NULL" : "final_pass_node = ?");
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, node);
            s.setString(2, cutoverId);
            if (previous != null) {
                s.setString(3, previous);
            }
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("taking over the final pass of cutover " + cutoverId, e);
        }
    }

    /** Removes a cutover (and its overrides) whose phase change did not happen. */
    public void forget(String cutoverId) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                delete(c, "DELETE FROM window_override WHERE cutover_id = ?", cutoverId);
                delete(c, "DELETE FROM cutover WHERE id = ?", cutoverId);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackAfter(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("removing cutover " + cutoverId, e);
        }
    }

    /** The domain's newest cutover, if it was ever cut over. */
    public Optional<CutoverRecord> latest(String domain) {
        String sql = "SELECT id, domain, at, actor, reason, forced, readiness, copied_before, final_pass_at, final_pass"
                + " FROM cutover WHERE domain = ? ORDER BY seq DESC";
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, domain);
            s.setMaxRows(1);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String finalPassAt = rs.getString(9);
                String finalPass = rs.getString(10);
                return Optional.of(new CutoverRecord(
                        rs.getString(1),
                        rs.getString(2),
                        Instant.parse(rs.getString(3)),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6) != 0,
                        read(rs.getString(7), CHECKS),
                        rs.getLong(8),
                        Optional.ofNullable(finalPassAt).map(Instant::parse),
                        finalPass == null ? List.of() : read(finalPass, FINAL_PASS)));
            }
        } catch (SQLException e) {
            throw new StoreException("reading the cutover of " + domain, e);
        }
    }

    public void finalPassDone(String cutoverId, Instant at, List<FinalPass> results) {
        try (Connection c = ds.getConnection();
                PreparedStatement s =
                        c.prepareStatement("UPDATE cutover SET final_pass = ?, final_pass_at = ? WHERE id = ?")) {
            s.setString(1, write(results));
            s.setString(2, at.toString());
            s.setString(3, cutoverId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording the final sync pass of cutover " + cutoverId, e);
        }
    }

    /** Returns the override's id, for {@link #forgetOverride} should the change it belongs to not happen. */
    public String extend(String cutoverId, Instant at, String actor, Duration by, String reason) {
        return override(cutoverId, "extend", at, actor, by.toMillis(), reason);
    }

    public String forceClose(String cutoverId, Instant at, String actor, String reason) {
        return override(cutoverId, "close", at, actor, null, reason);
    }

    /** A forced close on {@code c} (the transaction of the phase change it causes); returns its id. */
    public String forceClose(Connection c, String cutoverId, Instant at, String actor, String reason)
            throws SQLException {
        return override(c, cutoverId, "close", at, actor, null, reason);
    }

    public void forgetOverride(String overrideId) {
        try (Connection c = ds.getConnection()) {
            delete(c, "DELETE FROM window_override WHERE id = ?", overrideId);
        } catch (SQLException e) {
            throw new StoreException("removing window override " + overrideId, e);
        }
    }

    /** The window overrides of a cutover, oldest first; a forced close is the first one recorded. */
    public WindowOverrides overrides(String cutoverId) {
        String sql = "SELECT kind, at, actor, extend_millis FROM window_override WHERE cutover_id = ?"
                + " ORDER BY at_millis, id";
        WindowOverrides overrides = WindowOverrides.NONE;
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, cutoverId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals("extend")) {
                        overrides = overrides.plus(
                                new WindowExtension.By(Duration.ofMillis(rs.getLong(4)), rs.getString(3)));
                    } else if (overrides.forcedClose().isEmpty()) {
                        overrides =
                                overrides.closedBy(new ForcedClose(Instant.parse(rs.getString(2)), rs.getString(3)));
                    }
                }
            }
            return overrides;
        } catch (SQLException e) {
            throw new StoreException("reading the window overrides of cutover " + cutoverId, e);
        }
    }

    /**
     * Stores the final report of a cutover; false when one is stored already (another node's tick completed the
     * same domain at the same time: the first report stays).
     */
    public boolean storeReport(String cutoverId, Instant completedAt, DomainReport report) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO domain_report (cutover_id, domain,"
                        + " completed_at_millis, completed_at, report) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, cutoverId);
            s.setString(2, report.domain());
            s.setLong(3, completedAt.toEpochMilli());
            s.setString(4, completedAt.toString());
            s.setString(5, write(report));
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Store.duplicateKey(e)) {
                return false;
            }
            throw new StoreException("storing the final report of " + report.domain(), e);
        }
    }

    public Optional<DomainReport> report(String cutoverId) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT report FROM domain_report WHERE cutover_id = ?")) {
            s.setString(1, cutoverId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                        ? Optional.of(read(rs.getString(1), new TypeReference<DomainReport>() {}))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("reading the final report of cutover " + cutoverId, e);
        }
    }

    private String override(String cutoverId, String kind, Instant at, String actor, Long extendMillis, String reason) {
        try (Connection c = ds.getConnection()) {
            return override(c, cutoverId, kind, at, actor, extendMillis, reason);
        } catch (SQLException e) {
            throw new StoreException("recording a window " + kind + " for cutover " + cutoverId, e);
        }
    }

    private static String override(
            Connection c, String cutoverId, String kind, Instant at, String actor, Long extendMillis, String reason)
            throws SQLException {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO window_override (id, cutover_id, kind, at_millis,"
                + " at, actor, extend_millis, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, cutoverId);
            s.setString(3, kind);
            s.setLong(4, at.toEpochMilli());
            s.setString(5, at.toString());
            s.setString(6, actor);
            if (extendMillis == null) {
                s.setNull(7, java.sql.Types.BIGINT);
            } else {
                s.setLong(7, extendMillis);
            }
            s.setString(8, reason);
            s.executeUpdate();
            return id;
        }
    }

    private static void delete(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            s.executeUpdate();
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "a stored cutover record is not readable JSON: " + e.getOriginalMessage(), e);
        }
    }
}
