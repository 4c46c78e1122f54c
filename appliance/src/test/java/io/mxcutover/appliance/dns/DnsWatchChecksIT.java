package io.mxcutover.appliance.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.dnscheck.probe.DnssecStatus;
import io.mxcutover.dnscheck.probe.PreflightResult;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher's DNSSEC and MX-target checks against real NSD (authoritative), Unbound (resolver) and
 * Postfix (the new MX host's SMTP greeting), and as {@code GET .../dns} shows them.
 */
@ExtendWith(RealServers.class)
class DnsWatchChecksIT {

    private static final AtomicInteger NAME = new AtomicInteger();

    private static String zone(String name) {
        return "$ORIGIN " + name + ".\n$TTL 300\n"
                + "@ IN SOA ns1." + name + ". hostmaster." + name + ". ( " + System.currentTimeMillis() / 1000
                + " 3600 600 86400 60 )\n"
                + "@ IN NS ns1." + name + ".\n"
                + "ns1 IN A 127.0.0.1\n"
                + "@ 300 IN MX 10 mx1." + name + ".\n"
                + "mx1 IN A 127.0.0.1\n";
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static DnsWatch watch(Path dir, String domain, DnsWatchConfig config) throws Exception {
        Store store = Store.open(dir.resolve("state.db"));
        MigrationPlan plan = new MigrationPlan(
                dir.resolve("plan.yml"),
                "f",
                Duration.ofHours(48),
                Duration.ofHours(6),
                List.of(DnsResourceTest.domain(domain, List.of("mx1." + domain, "missing." + domain))));
        return new DnsWatch(config, () -> plan, store.dataSource(), Clock.systemUTC());
    }

    @Test
    @SuppressWarnings("unchecked")
    void tickShouldCheckDnssecAndGreetTheNewMxHostsAfterTheFirstPoll(TestServers servers, @TempDir Path dir)
            throws Exception {
        String domain =
                "checks" + NAME.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36) + ".test";
        servers.dns().writeZone(domain, zone(domain));
        servers.dns().reload();
        DnsWatchConfig config = new DnsWatchConfig();
        config.authoritative = List.of("127.0.0.1:" + servers.dns().authoritativePort());
        config.resolvers = List.of("127.0.0.1:" + servers.dns().resolverPort());
        config.queryTimeout = io.dropwizard.util.Duration.seconds(2);
        config.preflightPort = servers.newSmtp().port();
        // The registrar still publishes a DS for a key the (now unsigned) zone does not have.
        config.trustAnchors = List.of(
                domain + ". IN DS 12345 13 2 " + "3F3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F70819");
        DnsWatch watch = watch(dir, domain, config);
        try {
            watch.tick();

            TargetChecks checks = watch.checks(domain).orElseThrow();
            assertThat(checks.dnssec().status()).as(checks.dnssec().detail()).isEqualTo(DnssecStatus.Status.BOGUS);
            assertThat(checks.mxTargets())
                    .extracting(PreflightResult::host, PreflightResult::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("mx1." + domain, PreflightResult.Status.OK),
                            org.assertj.core.groups.Tuple.tuple(
                                    "missing." + domain, PreflightResult.Status.NO_ADDRESS));
            Map<String, Object> body = new DnsResource(watch).dns(domain, 1);
            Map<String, Object> view = (Map<String, Object>) body.get("checks");
            assertThat(view.get("checkedAt")).isEqualTo(checks.checkedAt().toString());
            assertThat(((Map<String, Object>) view.get("dnssec")).get("status")).isEqualTo("BOGUS");
            assertThat((List<Map<String, Object>>) view.get("mxTargets"))
                    .extracting(t -> t.get("status"))
                    .containsExactly("OK", "NO_ADDRESS");
        } finally {
            watch.stop();
        }
    }

    @Test
    void tickShouldReportDnssecUnknownWithTheReasonWhenTheResolverDoesNotAnswer(TestServers servers, @TempDir Path dir)
            throws Exception {
        String domain =
                "unchecked" + NAME.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36) + ".test";
        servers.dns().writeZone(domain, zone(domain));
        servers.dns().reload();
        DnsWatchConfig config = new DnsWatchConfig();
        config.authoritative = List.of("127.0.0.1:" + servers.dns().authoritativePort());
        config.resolvers = List.of("127.0.0.1:" + closedPort());
        config.queryTimeout = io.dropwizard.util.Duration.milliseconds(300);
        DnsWatch watch = watch(dir, domain, config);
        try {
            watch.tick();

            TargetChecks checks = watch.checks(domain).orElseThrow();
            assertThat(checks.dnssec().status()).isEqualTo(DnssecStatus.Status.UNKNOWN);
            assertThat(checks.dnssec().detail()).contains("cannot check DNSSEC");
            assertThat(checks.mxTargets())
                    .extracting(PreflightResult::status)
                    .containsExactly(PreflightResult.Status.UNKNOWN, PreflightResult.Status.UNKNOWN);
            assertThat(checks.mxTargets().get(0).detail()).startsWith("cannot look up the addresses of mx1.");
        } finally {
            watch.stop();
        }
    }
}
