package io.mxcutover.appliance.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mxcutover.appliance.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The last verification of each mailbox (migration {@code db/appliance/V3}, table {@code mailbox_verification}),
 * so the readiness gate reads a stored fact with its time, and the result survives a restart. An admin reads
 * a domain's with:
 * <pre>
 * SELECT mailbox, taken_at, verdict, folders, missing, mismatched, deleted_on_target, dates_not_kept, reason
 *   FROM mailbox_verification WHERE domain = 'example.org' ORDER BY mailbox;
 * </pre>
 */
final class VerificationRecords {
    private static final String COLUMNS = "mailbox, domain, taken_at_millis, finished_at_millis, requested_by, verdict,"
            + " reason, folders, source_messages, target_messages, missing, mismatched, deleted_on_target, dates_not_kept,"
            + " normalized";

    private final DataSource ds;
    private final ObjectMapper json;

    VerificationRecords(DataSource ds, ObjectMapper json) {
        this.ds = ds;
        this.json = json;
    }

    /** Replaces the mailbox's stored verification. */
    void save(StoredVerification v) {
        String detail;
        try {
            detail = json.writeValueAsString(v.detail());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the verification of " + v.mailbox() + " as JSON", e);
        }
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO mailbox_verification (" + COLUMNS
                        + ", taken_at, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (mailbox) DO UPDATE SET"
                        + " domain = excluded.domain, taken_at_millis = excluded.taken_at_millis,"
                        + " finished_at_millis = excluded.finished_at_millis, requested_by = excluded.requested_by,"
                        + " verdict = excluded.verdict, reason = excluded.reason, folders = excluded.folders,"
                        + " source_messages = excluded.source_messages, target_messages = excluded.target_messages,"
                        + " missing = excluded.missing, mismatched = excluded.mismatched,"
                        + " deleted_on_target = excluded.deleted_on_target, dates_not_kept = excluded.dates_not_kept,"
                        + " normalized = excluded.normalized,"
                        + " taken_at = excluded.taken_at, detail = excluded.detail")) {
            s.setString(1, v.mailbox());
            s.setString(2, v.domain());
            s.setLong(3, v.takenAt().toEpochMilli());
            s.setLong(4, v.finishedAt().toEpochMilli());
            s.setString(5, v.requestedBy());
            s.setString(6, v.verdict());
            s.setString(7, v.reason());
            s.setInt(8, v.folders());
            s.setLong(9, v.sourceMessages());
            s.setLong(10, v.targetMessages());
            s.setLong(11, v.missing());
            s.setLong(12, v.mismatched());
            s.setLong(13, v.deletedOnTarget());
            s.setLong(14, v.datesNotKept());
            s.setLong(15, v.normalized());
            s.setString(16, v.takenAt().toString());
            s.setString(17, detail);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording the verification of " + v.mailbox(), e);
        }
    }

    /** The domain's stored verifications, by mailbox, without the detail. */
    List<StoredVerification> ofDomain(String domain) {
        return query(
                "SELECT " + COLUMNS + " FROM mailbox_verification WHERE domain = ? ORDER BY mailbox", domain, false);
    }

    /** One mailbox's stored verification with its detail. */
    Optional<StoredVerification> of(String mailbox) {
        return query("SELECT " + COLUMNS + ", detail FROM mailbox_verification WHERE mailbox = ?", mailbox, true)
                .stream()
                .findFirst();
    }

    private List<StoredVerification> query(String sql, String key, boolean withDetail) {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            List<StoredVerification> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredVerification(
                            rs.getString(1),
                            rs.getString(2),
                            Instant.ofEpochMilli(rs.getLong(3)),
                            Instant.ofEpochMilli(rs.getLong(4)),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getInt(8),
                            rs.getLong(9),
                            rs.getLong(10),
                            rs.getLong(11),
                            rs.getLong(12),
                            rs.getLong(13),
                            rs.getLong(14),
                            rs.getLong(15),
                            withDetail ? detail(rs.getString(16)) : null));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading the stored verification of " + key, e);
        }
    }

    private JsonNode detail(String text) {
        try {
            return json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json.getNodeFactory().textNode("unreadable stored detail: " + e.getOriginalMessage());
        }
    }
}
