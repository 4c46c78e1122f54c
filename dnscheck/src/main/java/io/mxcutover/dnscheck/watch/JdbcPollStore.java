package io.mxcutover.dnscheck.watch;

import io.mxcutover.dnscheck.propagation.LookupOutcome;
import io.mxcutover.dnscheck.propagation.NameServer;
import io.mxcutover.dnscheck.propagation.Observation;
import io.mxcutover.dnscheck.propagation.Poll;
import io.mxcutover.dnscheck.propagation.ServerReply;
import io.mxcutover.dnscheck.propagation.Verdict;
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
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Polls in the appliance's database (tables {@code dnscheck_poll}, {@code dnscheck_answer},
 * created by {@code db/dnscheck/V1__dnscheck_polls.sql}). One transaction per poll.
 */
public final class JdbcPollStore implements PollStore {

    private static final String INSERT_POLL =
            "INSERT INTO dnscheck_poll (poll_id, domain, polled_at, verdict) VALUES (?, ?, ?, ?)";
    private static final String INSERT_ANSWER = "INSERT INTO dnscheck_answer (poll_id, server_label, server_role, "
            + "server_host, server_port, record_type, outcome, answer, ttl, detail, authoritative, over_tcp, latency_ms) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT_HISTORY = "SELECT p.poll_id, p.polled_at, a.server_label, a.server_role, "
            + "a.server_host, a.server_port, a.record_type, a.outcome, a.answer, a.ttl, a.detail, a.authoritative, "
            + "a.over_tcp, a.latency_ms FROM dnscheck_poll p LEFT JOIN dnscheck_answer a ON a.poll_id = p.poll_id "
            + "WHERE p.domain = ? ORDER BY p.polled_at, p.poll_id";

    private final DataSource dataSource;

    public JdbcPollStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void save(Poll poll, Verdict verdict) {
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
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the DNS poll of " + poll.domain()
                    + " in the database (is it writable?): " + e.getMessage(), e);
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
    public List<Poll> history(String domain) {
        Map<String, Instant> at = new LinkedHashMap<>();
        Map<String, Map<NameServer, ServerReply[]>> answers = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(SELECT_HISTORY)) {
            s.setString(1, domain);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    at.putIfAbsent(id, Instant.ofEpochMilli(rs.getLong(2)));
                    Map<NameServer, ServerReply[]> byServer = answers.computeIfAbsent(id, k -> new LinkedHashMap<>());
                    if (rs.getString(3) == null) {
                        continue;
                    }
                    NameServer server = new NameServer(rs.getString(3), NameServer.Role.valueOf(rs.getString(4)),
                            rs.getString(5), rs.getInt(6));
                    ServerReply reply = new ServerReply(outcome(rs), rs.getInt(12) == 1, rs.getInt(13) == 1,
                            Duration.ofMillis(rs.getLong(14)));
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
