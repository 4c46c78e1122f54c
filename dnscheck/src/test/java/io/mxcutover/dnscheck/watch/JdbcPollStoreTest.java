package io.mxcutover.dnscheck.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.timeline.TimelineSummary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The poll store's contract on SQLite; {@code JdbcPollStorePostgresIT} runs the same tests on PostgreSQL. */
class JdbcPollStoreTest {

    @TempDir
    Path dir;

    DataSource dataSource;
    JdbcPollStore store;

    /** A migrated, empty store for one test. */
    DataSource state() {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("appliance.db"));
        migrate(sqlite);
        return sqlite;
    }

    /** The same settings the appliance uses: its own history table, next to the lead's. */
    static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/dnscheck")
                .table("flyway_history_dnscheck")
                .load()
                .migrate();
    }

    @BeforeEach
    void open() {
        dataSource = state();
        store = new JdbcPollStore(dataSource);
    }

    private static ServerReply reply(LookupOutcome outcome, boolean aa, boolean tcp, long ms) {
        return new ServerReply(outcome, aa, tcp, Duration.ofMillis(ms));
    }

    @Test
    void storeShouldReturnEveryOutcomeWhenReadBack() {
        NameServer ns1 = new NameServer("ns1.example.com/192.0.2.1", NameServer.Role.AUTHORITATIVE, "192.0.2.1", 53);
        NameServer google = new NameServer("Google 8.8.8.8", NameServer.Role.RESOLVER, "8.8.8.8", 53);
        NameServer quad9 = new NameServer("Quad9 9.9.9.9", NameServer.Role.RESOLVER, "9.9.9.9", 53);
        NameServer v6 = new NameServer("v6", NameServer.Role.RESOLVER, "2001:db8::53", 5353);
        Poll first = new Poll(
                "example.com",
                Instant.parse("2025-03-01T10:00:00.123Z"),
                List.of(
                        new Observation(
                                ns1,
                                reply(
                                        new LookupOutcome.NoError(
                                                List.of("10 mx1.new.example", "20 mx2.new.example"), 300),
                                        true,
                                        false,
                                        3),
                                reply(
                                        new LookupOutcome.NoError(
                                                List.of("v=spf1 include:spf.new.example -all", "other"), 300),
                                        true,
                                        true,
                                        9)),
                        new Observation(
                                google,
                                reply(new LookupOutcome.NoData(60), false, false, 12),
                                reply(new LookupOutcome.NxDomain(900), false, false, 13)),
                        new Observation(
                                quad9,
                                reply(new LookupOutcome.Timeout(), false, false, 3000),
                                reply(new LookupOutcome.ServFail(), false, false, 5)),
                        new Observation(
                                v6,
                                reply(new LookupOutcome.Refused(), false, false, 1),
                                reply(new LookupOutcome.NetworkError("port unreachable"), false, false, 0))));
        Poll second = new Poll(
                "example.com",
                Instant.parse("2025-03-01T10:05:00Z"),
                List.of(new Observation(
                        ns1,
                        reply(new LookupOutcome.NoError(List.of("10 mx1.new.example"), 30), true, false, 1),
                        reply(new LookupOutcome.NoData(60), true, false, 1))));
        Poll otherDomain = new Poll("example.org", Instant.parse("2025-03-01T10:01:00Z"), List.of());

        store.save(second, Verdict.PROPAGATED);
        store.save(first, Verdict.ERROR);
        store.save(otherDomain, Verdict.ERROR);

        List<Poll> history = store.history("example.com");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).at()).isEqualTo(first.at());
        assertThat(history.get(0).observations()).containsExactlyInAnyOrderElementsOf(first.observations());
        assertThat(history.get(1)).isEqualTo(second);
        assertThat(store.history("example.org")).containsExactly(otherDomain);
        assertThat(store.history("example.net")).isEmpty();
    }

    @Test
    void storeShouldKeepVerdictAndLatencyWhenOpsReadWithSql() throws Exception {
        NameServer ns1 = new NameServer("ns1", NameServer.Role.AUTHORITATIVE, "127.0.0.1", 5301);
        store.save(
                new Poll(
                        "example.com",
                        Instant.ofEpochMilli(1000),
                        List.of(new Observation(
                                ns1,
                                reply(new LookupOutcome.NoError(List.of("10 mx.legacy.example"), 30), true, false, 7),
                                reply(new LookupOutcome.NoData(60), true, false, 2)))),
                Verdict.NOT_SWITCHED);

        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT p.verdict, a.record_type, a.outcome, a.answer, a.ttl, a.latency_ms FROM dnscheck_poll p "
                                        + "JOIN dnscheck_answer a ON a.poll_id = p.poll_id WHERE p.domain = 'example.com' "
                                        + "ORDER BY a.record_type")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("NOT_SWITCHED");
            assertThat(rs.getString(2)).isEqualTo("MX");
            assertThat(rs.getString(4)).isEqualTo("10 mx.legacy.example");
            assertThat(rs.getLong(5)).isEqualTo(30);
            assertThat(rs.getLong(6)).isEqualTo(7);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(3)).isEqualTo("NODATA");
            assertThat(rs.getLong(5)).isEqualTo(60);
        }
    }

    @Test
    void storeShouldKeepSummaryWithPollAndReadOnlyTheNewestPollsWhenAsked() {
        io.mxcutover.dnscheck.propagation.ExpectedMx expected =
                io.mxcutover.dnscheck.propagation.ExpectedMx.of("example.com", List.of("mx1.new.example"));
        NameServer ns1 = new NameServer("ns1", NameServer.Role.AUTHORITATIVE, "127.0.0.1", 5301);
        NameServer r1 = new NameServer("r1", NameServer.Role.RESOLVER, "127.0.0.1", 5300);
        TimelineSummary summary = TimelineSummary.empty(expected);
        for (int i = 0; i < 5; i++) {
            String mx = i < 2 ? "10 mx.legacy.example" : "10 mx1.new.example";
            Poll poll = new Poll(
                    "example.com",
                    Instant.ofEpochSecond(60L * i),
                    List.of(
                            new Observation(
                                    ns1,
                                    reply(new LookupOutcome.NoError(List.of(mx), 3600), true, false, 1),
                                    reply(new LookupOutcome.NoData(60), true, false, 1)),
                            new Observation(
                                    r1,
                                    reply(
                                            new LookupOutcome.NoError(List.of("10 mx.legacy.example"), 1800 - i),
                                            false,
                                            false,
                                            1),
                                    reply(new LookupOutcome.NoData(60), false, false, 1))));
            summary = summary.add(expected, poll);
            store.save(poll, Verdict.NOT_SWITCHED, summary);
        }

        assertThat(store.summary("example.com")).contains(summary);
        assertThat(summary.switchStart()).contains(Instant.ofEpochSecond(120));
        assertThat(summary.observedLegacy()).isPresent();
        assertThat(store.summary("example.org")).isEmpty();
        assertThat(store.count("example.com")).isEqualTo(5);
        assertThat(store.latest("example.com", 2))
                .extracting(Poll::at)
                .containsExactly(Instant.ofEpochSecond(180), Instant.ofEpochSecond(240));
        assertThat(store.latest("example.com", 0)).isEmpty();
        assertThat(store.since("example.com", Instant.ofEpochSecond(180)))
                .extracting(Poll::at)
                .containsExactly(Instant.ofEpochSecond(240));
        assertThat(store.latest("example.com", 1).get(0).observations())
                .containsExactlyInAnyOrderElementsOf(
                        store.history("example.com").get(4).observations());
    }
}
