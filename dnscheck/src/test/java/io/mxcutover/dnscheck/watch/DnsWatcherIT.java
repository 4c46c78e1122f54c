package io.mxcutover.dnscheck.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.dnscheck.it.Zones;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.probe.DnsProbe;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.MxView;
import io.mxcutover.dnscheck.propagation.ServerStatus;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import io.mxcutover.dnscheck.timeline.ExpectedEnd;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The watcher against real NSD #1/#2 and Unbound (real caching): the zone changes, the
 * report follows as Unbound's cached TTL runs out. Polls are stored in SQLite via Flyway,
 * as in the appliance.
 */
@ExtendWith(RealServers.class)
class DnsWatcherIT {

    private static final long OLD_TTL = 5;

    @TempDir
    Path dir;

    TestServers servers;
    NameServer nsd1;
    NameServer nsd2;
    NameServer unbound;
    DnsProbe probe;
    JdbcPollStore store;
    DnsWatcher watcher;

    @BeforeEach
    void start(TestServers servers) {
        this.servers = servers;
        var dns = servers.dns();
        nsd1 = new NameServer("nsd1", NameServer.Role.AUTHORITATIVE, dns.host(), dns.authoritativePort());
        nsd2 = new NameServer("nsd2", NameServer.Role.AUTHORITATIVE, dns.host(), dns.secondAuthoritativePort());
        unbound = new NameServer("unbound", NameServer.Role.RESOLVER, dns.host(), dns.resolverPort());
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("state.db"));
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/dnscheck")
                .table("flyway_history_dnscheck")
                .load()
                .migrate();
        store = new JdbcPollStore(ds);
        probe = new DnsProbe(DnsProbe.Settings.DEFAULT.withQueryTimeout(Duration.ofSeconds(2)));
        watcher = new DnsWatcher(probe, store, Clock.systemUTC(), WatchSchedule.DEFAULT);
    }

    @AfterEach
    void stop() {
        watcher.close();
        probe.close();
    }

    private static String[] newMx() {
        return Zones.mx("10 mx1.new.test.", "20 mx2.new.test.");
    }

    private WatchedDomain watched(String zone, List<NameServer> authoritative) {
        return new WatchedDomain(
                ExpectedMx.of(zone, List.of("mx1.new.test", "mx2.new.test")),
                new SpfExpectation(List.of("include:spf.new.test"), List.of("include:legacy.test")),
                authoritative,
                List.of(unbound),
                53);
    }

    @Test
    void reportShouldGoFromNotSwitchedToPropagatedWhenResolverCacheExpires() {
        String zone = Zones.unique("move");
        servers.dns()
                .writeZone(
                        zone,
                        Zones.zone(
                                zone,
                                60,
                                OLD_TTL,
                                Zones.mx("10 mx.legacy.test."),
                                "@ IN TXT \"v=spf1 include:legacy.test -all\""));
        servers.dns().reload();
        servers.dns().flushResolver();
        watcher.watch(watched(zone, List.of(nsd1)));

        DnsReport before = watcher.pollNow(zone).orElseThrow();
        servers.dns()
                .writeZone(
                        zone, Zones.zone(zone, 60, OLD_TTL, newMx(), "@ IN TXT \"v=spf1 include:spf.new.test -all\""));
        servers.dns().reload();
        DnsReport published = watcher.pollNow(zone).orElseThrow();

        assertThat(before.verdict()).isEqualTo(Verdict.NOT_SWITCHED);
        assertThat(before.timeline().switchTime()).isEmpty();
        assertThat(before.spf().status()).isEqualTo(io.mxcutover.dnscheck.spf.SpfResult.Status.MISSING_REQUIRED);
        assertThat(published.verdict())
                .as("Unbound still serves the old MX from cache for up to %d s", OLD_TTL)
                .isEqualTo(Verdict.PUBLISHED);
        assertThat(published.timeline().switchTime()).contains(published.polledAt());
        ExpectedEnd end = published.timeline().expectedEnd().orElseThrow();
        assertThat(end.basis()).isEqualTo(ExpectedEnd.Basis.OLD_RECORD_TTL);
        assertThat(end.ttlSeconds()).isEqualTo(OLD_TTL);
        assertThat(end.at()).isEqualTo(published.polledAt().plusSeconds(OLD_TTL));
        assertThat(published.spf().status()).isEqualTo(io.mxcutover.dnscheck.spf.SpfResult.Status.OK);

        DnsReport done = await().atMost(Duration.ofSeconds(OLD_TTL + 10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> watcher.pollNow(zone).orElseThrow(), r -> r.verdict() == Verdict.PROPAGATED);

        assertThat(done.timeline().switchTime()).contains(published.polledAt());
        // Later polls may refine the estimate by the resolver's whole-second TTL rounding, never more.
        ExpectedEnd refined = done.timeline().expectedEnd().orElseThrow();
        assertThat(refined.basis()).isEqualTo(end.basis());
        assertThat(refined.at()).isBetween(end.at().minusSeconds(1), end.at().plusSeconds(1));
        // Unbound cached the old MX at the first poll: it lets go OLD_TTL later (whole seconds), never
        // later than the expected end (plus the poll interval).
        assertThat(done.polledAt())
                .isAfterOrEqualTo(before.polledAt().plusSeconds(OLD_TTL - 1))
                .isBeforeOrEqualTo(end.at().plusSeconds(2));
        assertThat(done.propagation().servers()).extracting(ServerStatus::view).containsOnly(MxView.NEW);
        assertThat(store.history(zone)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(watcher.report(zone).orElseThrow().verdict()).isEqualTo(Verdict.PROPAGATED);
    }

    @Test
    void expectedEndShouldUseNegativeTtlWhenDomainHadNoMx() {
        String zone = Zones.unique("fresh");
        servers.dns().writeZone(zone, Zones.zone(zone, 4, 300, Zones.mx()));
        servers.dns().reload();
        watcher.watch(watched(zone, List.of(nsd1)));

        DnsReport before = watcher.pollNow(zone).orElseThrow();
        servers.dns().writeZone(zone, Zones.zone(zone, 4, 300, newMx()));
        servers.dns().reload();
        DnsReport after = watcher.pollNow(zone).orElseThrow();

        assertThat(before.verdict()).isEqualTo(Verdict.NOT_SWITCHED);
        assertThat(before.propagation().servers())
                .extracting(ServerStatus::view)
                .containsOnly(MxView.ABSENT);
        ExpectedEnd end = after.timeline().expectedEnd().orElseThrow();
        assertThat(end.basis()).isEqualTo(ExpectedEnd.Basis.NEGATIVE_TTL);
        assertThat(end.ttlSeconds()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> watcher.pollNow(zone).orElseThrow().verdict() == Verdict.PROPAGATED);
    }

    @Test
    void reportShouldBeInconsistentWhenAuthoritativeServersDisagree() {
        String zone = Zones.unique("split");
        servers.dns().writeZone(zone, Zones.zone(zone, 60, 300, newMx()));
        servers.dns().writeSecondZone(zone, Zones.zone(zone, 60, 300, Zones.mx("10 mx.legacy.test.")));
        servers.dns().reload();
        watcher.watch(watched(zone, List.of(nsd1, nsd2)));

        DnsReport report = watcher.pollNow(zone).orElseThrow();

        assertThat(report.verdict()).isEqualTo(Verdict.INCONSISTENT);
        assertThat(report.propagation().servers())
                .extracting(ServerStatus::view)
                .containsExactly(MxView.NEW, MxView.OLD, MxView.NEW);
        assertThat(report.propagation().reason()).contains("nsd1").contains("nsd2");
    }

    @Test
    void watcherShouldFindAuthoritativeServersWhenNoneGiven() {
        // Discovery through Unbound finds ns1.example.test = 127.0.0.1, on NSD #1's port.
        watcher.watch(new WatchedDomain(
                ExpectedMx.of(servers.domain(), List.of("mx1.new.test")),
                SpfExpectation.NONE,
                List.of(),
                List.of(unbound),
                servers.dns().authoritativePort()));

        DnsReport report = watcher.pollNow(servers.domain()).orElseThrow();

        assertThat(report.verdict()).isEqualTo(Verdict.NOT_SWITCHED);
        assertThat(report.propagation().servers())
                .extracting(s -> s.server().label())
                .containsExactly("ns1.example.test/127.0.0.1", "unbound");
    }

    /**
     * No data is never "no problem": an authoritative server that refuses the zone (NSD #2 does not serve
     * it; outside test., so no parent zone answers NXDOMAIN for it).
     */
    @Test
    void switchShouldNotBeSeenWhenOneAuthoritativeServerRefusesTheZone() {
        String zone = Zones.unique("refused").replace(".test", ".example");
        servers.dns().writeZone(zone, Zones.zone(zone, 60, 300, newMx()));
        servers.dns().reload();
        watcher.watch(watched(zone, List.of(nsd1, nsd2)));

        DnsReport report = watcher.pollNow(zone).orElseThrow();

        assertThat(report.propagation().servers())
                .extracting(ServerStatus::view)
                .containsExactly(MxView.NEW, MxView.FAILED, MxView.NEW);
        assertThat(report.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(report.propagation().reason()).contains("nsd2 REFUSED");
        assertThat(report.timeline().switchTime()).isEmpty();
        assertThat(report.timeline().propagatedAt()).isEmpty();
    }

    /** An authoritative server that does not answer at all (a socket that never replies) is unknown. */
    @Test
    void switchShouldNotBeSeenWhenOneAuthoritativeServerDoesNotAnswer() throws Exception {
        String zone = Zones.unique("silent");
        servers.dns().writeZone(zone, Zones.zone(zone, 60, 300, newMx()));
        servers.dns().reload();
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(
                0, java.net.InetAddress.getByName(servers.dns().host()))) {
            NameServer dead = new NameServer(
                    "ns-silent", NameServer.Role.AUTHORITATIVE, servers.dns().host(), silent.getLocalPort());
            watcher.watch(watched(zone, List.of(nsd1, dead)));

            DnsReport report = watcher.pollNow(zone).orElseThrow();

            assertThat(report.propagation().servers())
                    .extracting(ServerStatus::view)
                    .containsExactly(MxView.NEW, MxView.FAILED, MxView.NEW);
            assertThat(report.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(report.propagation().reason()).contains("ns-silent TIMEOUT");
            assertThat(report.timeline().switchTime()).isEmpty();
            assertThat(report.timeline().propagatedAt()).isEmpty();
        }
    }

    /**
     * A watched resolver that gives no answer while another shows the new MX: unknown, not PROPAGATED
     * (before the fix: PROPAGATED, "1 of 1"). The zone is on NSD #2 only; Unbound forwards to NSD #1,
     * which refuses it, so Unbound answers SERVFAIL.
     */
    @Test
    void verdictShouldNotBePropagatedWhenOneResolverFails() {
        String zone = Zones.unique("halfknown").replace(".test", ".example");
        servers.dns().writeSecondZone(zone, Zones.zone(zone, 60, 300, newMx()));
        servers.dns().reload();
        // NSD #2 asked with RD set stands in for a resolver that has the new MX.
        NameServer answering = new NameServer(
                "resolver-new",
                NameServer.Role.RESOLVER,
                servers.dns().host(),
                servers.dns().secondAuthoritativePort());
        watcher.watch(new WatchedDomain(
                ExpectedMx.of(zone, List.of("mx1.new.test", "mx2.new.test")),
                SpfExpectation.NONE,
                List.of(nsd2),
                List.of(answering, unbound),
                53));

        DnsReport report = watcher.pollNow(zone).orElseThrow();

        assertThat(report.propagation().servers())
                .extracting(ServerStatus::view)
                .containsExactly(MxView.NEW, MxView.NEW, MxView.FAILED);
        assertThat(report.propagation()
                        .servers()
                        .get(2)
                        .observation()
                        .mx()
                        .outcome()
                        .code())
                .isEqualTo("SERVFAIL");
        assertThat(report.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(report.propagation().reason()).contains("not known for unbound SERVFAIL");
        assertThat(report.timeline().switchTime()).isPresent();
        assertThat(report.timeline().propagatedAt()).isEmpty();
    }
}
