package io.mxcutover.dnscheck.watch;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.propagation.MxHost;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.timeline.TimelineSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Polls in the appliance's database (tables {@code dnscheck_poll}, {@code dnscheck_answer},
 * created by {@code db/dnscheck/V1__dnscheck_polls.sql}) and each domain's timeline summary
 * ({@code dnscheck_timeline}, {@code V2__dnscheck_timeline.sql}). One transaction per poll,
 * summary included.
 */
public final class JdbcPollStore implements PollStore {

    private static final String INSERT_POLL =
            "INSERT INTO dnscheck_poll (poll_id, domain, polled_at, verdict) VALUES (?, ?, ?, ?)";
    private static final String INSERT_ANSWER = "INSERT INTO dnscheck_answer (poll_id, server_label, server_role, "
            + "server_host, server_port, record_type, outcome, answer, ttl, detail, authoritative, over_tcp, latency_ms) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static String selectPolls(String condition) {
        return "SELECT p.poll_id, p.polled_at, a.server_label, a.server_role, "
                + "a.server_host, a.server_port, a.record_type, a.outcome, a.answer, a.ttl, a.detail, a.authoritative, "
                + "a.over_tcp, a.latency_ms FROM dnscheck_poll p LEFT JOIN dnscheck_answer a ON a.poll_id = p.poll_id "
                + "WHERE p.domain = ? " + condition + " ORDER BY p.polled_at, p.poll_id";
    }

    private static final String SINCE = "AND p.polled_at > ?";
    private static final String LATEST = "AND p.poll_id IN (SELECT poll_id FROM dnscheck_poll WHERE domain = ? "
            + "ORDER BY polled_at DESC, poll_id DESC LIMIT ?)";
    private static final String COUNT = "SELECT COUNT(*) FROM dnscheck_poll WHERE domain = ?";
    private static final String UPDATE_SUMMARY = "UPDATE dnscheck_timeline SET expected_hosts = ?, polls = ?, "
            + "last_polled_at = ?, observed_legacy = ?, switch_at = ?, propagated_at = ?, old_ttl = ?, negative_ttl = ?, "
            + "new_ttl = ?, last_old_expiry = ? WHERE domain = ?";
    private static final String INSERT_SUMMARY =
            "INSERT INTO dnscheck_timeline (expected_hosts, polls, last_polled_at, "
                    + "observed_legacy, switch_at, propagated_at, old_ttl, negative_ttl, new_ttl, last_old_expiry, domain) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT_SUMMARY = "SELECT expected_hosts, polls, last_polled_at, observed_legacy, "
            + "switch_at, propagated_at, old_ttl, negative_ttl, new_ttl, last_old_expiry FROM dnscheck_timeline "
            + "WHERE domain = ?";

    private final DataSource dataSource;

    public JdbcPollStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void save(Poll poll, Verdict verdict) {
        save(poll, verdict, null);
    }

    @Override
    public void save(Poll poll, Verdict verdict, TimelineSummary summary) {
        String id = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement(INSERT_POLL);
                    PreparedStatement a = c.prepareStatement(INSERT_ANSWER)) {
                p.setString(1, id);
                p.setString(2, poll.domain());
                p.setLong(3, poll.at().toEpochMilli());
                p.setString(4, verdict.name());
                p.executeUpdate();
                for (Observation o : poll.observations()) {
                    addAnswer(a, id, o.server(), "MX", o.mx());
                    addAnswer(a, id, o.server(), "TXT", o.txt());
                }
                a.executeBatch();
                if (summary != null) {
                    writeSummary(c, poll.domain(), summary);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                // The error that failed the poll's write, not the rollback's: SQLite has already rolled back a
                // COMMIT that failed (full disk), and its "no transaction is active" replaced the real reason.
                try {
                    c.rollback();
                } catch (SQLException | RuntimeException rollback) {
                    e.addSuppressed(rollback);
                    c.close(); // its transaction state is unknown
                }
                throw e;
            } finally {
                if (!c.isClosed()) {
                    c.setAutoCommit(autoCommit);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot store the DNS poll of " + poll.domain() + " in the database (is it writable?): "
                            + e.getMessage(),
                    e);
        }
    }

    private static void addAnswer(PreparedStatement a, String id, NameServer s, String type, ServerReply reply)
            throws SQLException {
        LookupOutcome outcome = reply.outcome();
        a.setString(1, id);
        a.setString(2, s.label());
        a.setString(3, s.role().name());
        a.setString(4, s.host());
        a.setInt(5, s.port());
        a.setString(6, type);
        a.setString(7, outcome.code());
        String answer = null;
        Long ttl = null;
        String detail = null;
        if (outcome instanceof LookupOutcome.NoError ne) {
            answer = String.join("\n", ne.answers());
            ttl = ne.ttl();
        } else if (outcome instanceof LookupOutcome.NoData nd) {
            ttl = nd.negativeTtl();
        } else if (outcome instanceof LookupOutcome.NxDomain nx) {
            ttl = nx.negativeTtl();
        } else if (outcome instanceof LookupOutcome.NetworkError err) {
            detail = err.detail().length() > 1000 ? err.detail().substring(0, 1000) : err.detail();
        }
        a.setString(8, answer);
        if (ttl == null) {
            a.setNull(9, Types.BIGINT);
        } else {
            a.setLong(9, ttl);
        }
        a.setString(10, detail);
        a.setInt(11, reply.authoritativeAnswer() ? 1 : 0);
        a.setInt(12, reply.retriedOverTcp() ? 1 : 0);
        a.setLong(13, reply.latency().toMillis());
        a.addBatch();
    }

    @Override
    public void saveSummary(String domain, TimelineSummary summary) {
        try (Connection c = dataSource.getConnection()) {
            writeSummary(c, domain, summary);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot store the DNS timeline of " + domain + " in the database (is it writable?): "
                            + e.getMessage(),
                    e);
        }
    }

    /** UPDATE, then INSERT when there was no row: portable (no MERGE / ON CONFLICT dialects). */
    private static void writeSummary(Connection c, String domain, TimelineSummary t) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(UPDATE_SUMMARY)) {
            bindSummary(u, domain, t);
            if (u.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement i = c.prepareStatement(INSERT_SUMMARY)) {
            bindSummary(i, domain, t);
            i.executeUpdate();
        }
    }

    private static void bindSummary(PreparedStatement s, String domain, TimelineSummary t) throws SQLException {
        s.setString(1, String.join("\n", t.expectedHosts().stream().sorted().toList()));
        s.setLong(2, t.polls());
        setInstant(s, 3, t.lastPollAt());
        s.setString(
                4,
                t.observedLegacy()
                        .map(l -> String.join(
                                "\n", l.stream().map(MxHost::toString).toList()))
                        .orElse(null));
        setInstant(s, 5, t.switchStart());
        setInstant(s, 6, t.propagatedStart());
        s.setLong(7, t.oldTtl());
        s.setLong(8, t.negativeTtl());
        s.setLong(9, t.newTtl());
        setInstant(s, 10, t.lastOldExpiry());
        s.setString(11, domain);
    }

    private static void setInstant(PreparedStatement s, int index, Optional<Instant> at) throws SQLException {
        if (at.isPresent()) {
            s.setLong(index, at.get().toEpochMilli());
        } else {
            s.setNull(index, Types.BIGINT);
        }
    }

    @Override
    public Optional<TimelineSummary> summary(String domain) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(SELECT_SUMMARY)) {
            s.setString(1, domain);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String legacy = rs.getString(4);
                return Optional.of(new TimelineSummary(
                        Set.of(rs.getString(1).split("\n")),
                        rs.getLong(2),
                        instant(rs, 3),
                        Optional.ofNullable(legacy)
                                .map(l -> Arrays.stream(l.split("\n"))
                                        .map(MxHost::of)
                                        .toList()),
                        instant(rs, 5),
                        instant(rs, 6),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getLong(9),
                        instant(rs, 10)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the DNS timeline of " + domain + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    @Override
    public long count(String domain) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(COUNT)) {
            s.setString(1, domain);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the DNS polls of " + domain + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Poll> history(String domain) {
        return polls(domain, "", s -> {});
    }

    @Override
    public List<Poll> since(String domain, Instant after) {
        return polls(domain, SINCE, s -> s.setLong(2, after.toEpochMilli()));
    }

    @Override
    public List<Poll> latest(String domain, int limit) {
        return polls(domain, LATEST, s -> {
            s.setString(2, domain);
            s.setInt(3, Math.max(0, limit));
        });
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private List<Poll> polls(String domain, String condition, Binder binder) {
        Map<String, Instant> at = new LinkedHashMap<>();
        Map<String, Map<NameServer, ServerReply[]>> answers = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(selectPolls(condition))) {
            s.setString(1, domain);
            binder.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    at.putIfAbsent(id, Instant.ofEpochMilli(rs.getLong(2)));
                    Map<NameServer, ServerReply[]> byServer = answers.computeIfAbsent(id, k -> new LinkedHashMap<>());
                    if (rs.getString(3) == null) {
                        continue;
                    }
                    NameServer server = new NameServer(
                            rs.getString(3), NameServer.Role.valueOf(rs.getString(4)), rs.getString(5), rs.getInt(6));
                    ServerReply reply = new ServerReply(
                            outcome(rs), rs.getInt(12) == 1, rs.getInt(13) == 1, Duration.ofMillis(rs.getLong(14)));
                    ServerReply[] pair = byServer.computeIfAbsent(server, k -> new ServerReply[2]);
                    pair["MX".equals(rs.getString(7)) ? 0 : 1] = reply;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the DNS history of " + domain + ": " + e.getMessage(), e);
        }
        List<Poll> polls = new ArrayList<>();
        for (var e : at.entrySet()) {
            List<Observation> observations = new ArrayList<>();
            answers.get(e.getKey()).forEach((server, pair) -> {
                if (pair[0] != null && pair[1] != null) {
                    observations.add(new Observation(server, pair[0], pair[1]));
                }
            });
            polls.add(new Poll(domain, e.getValue(), observations));
        }
        return polls;
    }

    private static LookupOutcome outcome(ResultSet rs) throws SQLException {
        String code = rs.getString(8);
        String answer = rs.getString(9);
        long ttl = rs.getLong(10);
        return switch (code) {
            case "NOERROR" -> new LookupOutcome.NoError(Arrays.asList(answer.split("\n", -1)), ttl);
            case "NODATA" -> new LookupOutcome.NoData(ttl);
            case "NXDOMAIN" -> new LookupOutcome.NxDomain(ttl);
            case "SERVFAIL" -> new LookupOutcome.ServFail();
            case "REFUSED" -> new LookupOutcome.Refused();
            case "TIMEOUT" -> new LookupOutcome.Timeout();
            default -> new LookupOutcome.NetworkError(rs.getString(11) == null ? code : rs.getString(11));
        };
    }
}
