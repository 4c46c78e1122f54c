package io.mxcutover.sync.inventory;

import io.mxcutover.sync.state.StateStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The passes that moved something, in table {@code sync_pass} (migration {@code db/sync/V4}): written by the
 * sync service after each mailbox pass, read by the inventory for this appliance's own copy rate against a
 * server pair and for how long the history copy really took.
 */
public final class PassLog {
    /** A pass counts for the measured rate only with at least this many messages (else login and LIST dominate). */
    static final long RATE_MIN_MESSAGES = 20;
    /** The measured rate needs this much copying in all, else the short sample copy is used. */
    static final long RATE_MIN_TOTAL_MESSAGES = 100;

    static final Duration RATE_MIN_TOTAL_TIME = Duration.ofSeconds(5);
    /** Passes older than this are not the server's current speed. */
    static final Duration RATE_WINDOW = Duration.ofDays(14);

    private final DataSource dataSource;

    public PassLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records a pass when it copied enough to count for the rate ({@link #RATE_MIN_MESSAGES}) or left the mailbox
     * in another phase than its last recorded pass (the first pass of a mailbox always: how the history copy's
     * start and end are known). The continuous sync's small passes (a new message or two) leave no row.
     */
    public void passed(
            String mailbox,
            String sourceServer,
            String targetServer,
            Instant startedAt,
            Instant finishedAt,
            long messages,
            long bytes,
            String phase) {
        try (Connection c = dataSource.getConnection()) {
            if (messages < RATE_MIN_MESSAGES) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT phase FROM sync_pass WHERE mailbox = ?" + " ORDER BY started_at DESC LIMIT 1")) {
                    ps.setString(1, mailbox);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getString(1).equals(phase)) {
                            return;
                        }
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO sync_pass (mailbox, source_server, target_server,"
                            + " started_at, finished_at, messages, bytes, phase) VALUES (?,?,?,?,?,?,?,?)")) {
                ps.setString(1, mailbox);
                ps.setString(2, sourceServer);
                ps.setString(3, targetServer);
                ps.setLong(4, startedAt.toEpochMilli());
                ps.setLong(5, finishedAt.toEpochMilli());
                ps.setLong(6, messages);
                ps.setLong(7, bytes);
                ps.setString(8, phase);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StateStoreException("sync pass log write failed: " + e.getMessage(), e);
        }
    }

    /**
     * The copy rate of one mailbox stream measured from this appliance's passes between these servers in the
     * last {@link #RATE_WINDOW}; empty when they copied too little to say.
     */
    public Optional<CopyRate> measuredRate(String sourceServer, String targetServer, Instant now) {
        String sql = "SELECT COUNT(*), COALESCE(SUM(messages), 0), COALESCE(SUM(bytes), 0),"
                + " COALESCE(SUM(finished_at - started_at), 0) FROM sync_pass WHERE source_server = ?"
                + " AND target_server = ? AND messages >= ? AND finished_at >= ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sourceServer);
            ps.setString(2, targetServer);
            ps.setLong(3, RATE_MIN_MESSAGES);
            ps.setLong(4, now.minus(RATE_WINDOW).toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long passes = rs.getLong(1);
                long messages = rs.getLong(2);
                long bytes = rs.getLong(3);
                long millis = rs.getLong(4);
                if (messages < RATE_MIN_TOTAL_MESSAGES || millis < RATE_MIN_TOTAL_TIME.toMillis()) {
                    return Optional.empty();
                }
                double seconds = millis / 1000.0;
                return Optional.of(new CopyRate(
                        messages / seconds,
                        bytes / seconds,
                        CopyRate.Source.MEASURED,
                        "this appliance's " + passes + " pass(es) " + sourceServer + " -> " + targetServer
                                + " in the last "
                                + RATE_WINDOW.toDays() + " days: " + messages + " message(s), " + bytes + " bytes in "
                                + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s of copying"));
            }
        } catch (SQLException e) {
            throw new StateStoreException("sync pass log read failed: " + e.getMessage(), e);
        }
    }

    /**
     * The recorded passes of these mailboxes: the first start, and per mailbox the end of its first pass that went
     * through every folder (SYNCED, or INCOMPLETE with what failed recorded as failures: its history was copied as
     * far as the servers allow).
     */
    public HistoryCopy historyCopy(Collection<String> mailboxes) {
        Instant first = null;
        Map<String, Instant> synced = new HashMap<>();
        String sql = "SELECT started_at, finished_at, phase FROM sync_pass WHERE mailbox = ? ORDER BY started_at";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (String m : mailboxes) {
                ps.setString(1, m);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant start = Instant.ofEpochMilli(rs.getLong(1));
                        first = first == null || start.isBefore(first) ? start : first;
                        if (rs.getString(3).equals("SYNCED") || rs.getString(3).equals("INCOMPLETE")) {
                            synced.putIfAbsent(m, Instant.ofEpochMilli(rs.getLong(2)));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StateStoreException("sync pass log read failed: " + e.getMessage(), e);
        }
        return new HistoryCopy(Optional.ofNullable(first), synced);
    }

    /** When the first pass of a set of mailboxes started, and when each one's history was first copied. */
    public record HistoryCopy(Optional<Instant> firstPassStarted, Map<String, Instant> firstCopied) {
        public HistoryCopy {
            firstCopied = Map.copyOf(firstCopied);
        }

        /** From the first pass's start to the last mailbox's first copy; empty while one of them is not copied. */
        public Optional<java.time.Duration> took(Collection<String> mailboxes) {
            if (firstPassStarted.isEmpty()
                    || mailboxes.isEmpty()
                    || !firstCopied.keySet().containsAll(mailboxes)) {
                return Optional.empty();
            }
            Instant end = mailboxes.stream()
                    .map(firstCopied::get)
                    .max(Instant::compareTo)
                    .orElseThrow();
            return Optional.of(java.time.Duration.between(firstPassStarted.get(), end));
        }
    }
}
