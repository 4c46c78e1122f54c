package io.mxcutover.dnscheck.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.it.Zones;
import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.propagation.MxHost;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import java.io.ByteArrayInputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** The probe against real NSD (authoritative) and Unbound (recursive, caching) on loopback. */
@ExtendWith(RealServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsProbeIT {

    TestServers servers;
    NameServer nsd1;
    NameServer unbound;
    DnsProbe probe;

    @BeforeAll
    void start(TestServers servers) {
        this.servers = servers;
        var dns = servers.dns();
        nsd1 = new NameServer("nsd1", NameServer.Role.AUTHORITATIVE, dns.host(), dns.authoritativePort());
        unbound = new NameServer("unbound", NameServer.Role.RESOLVER, dns.host(), dns.resolverPort());
        probe = new DnsProbe(DnsProbe.Settings.DEFAULT.withQueryTimeout(Duration.ofSeconds(2)));
    }

    @AfterAll
    void stop() {
        probe.close();
    }

    @Test
    void authoritativeShouldAnswerWithAaWhenAskedWithoutRecursion() {
        ServerReply reply = probe.ask(nsd1, servers.domain(), Type.MX).join();

        assertThat(reply.outcome()).isEqualTo(new LookupOutcome.NoError(List.of("10 mx.legacy.test"), 30));
        assertThat(reply.authoritativeAnswer()).isTrue();
        assertThat(reply.retriedOverTcp()).isFalse();
    }

    @Test
    void resolverShouldAnswerFromNsdWhenAskedRecursively() {
        ServerReply reply = probe.ask(unbound, servers.domain(), Type.TXT).join();

        assertThat(reply.outcome()).isInstanceOf(LookupOutcome.NoError.class);
        assertThat(((LookupOutcome.NoError) reply.outcome()).answers()).contains("v=spf1 include:legacy.test -all");
        assertThat(reply.authoritativeAnswer()).isFalse();
    }

    @Test
    void probeShouldReportNxDomainWithSoaMinimumWhenNameDoesNotExist() {
        ServerReply auth =
                probe.ask(nsd1, "no-such-host." + servers.domain(), Type.MX).join();
        ServerReply viaResolver =
                probe.ask(unbound, Zones.unique("nothere"), Type.MX).join();

        // example.test's SOA: TTL 300, MINIMUM 60 -> negative TTL 60 (RFC 2308 §5)
        assertThat(auth.outcome()).isEqualTo(new LookupOutcome.NxDomain(60));
        assertThat(auth.authoritativeAnswer()).isTrue();
        assertThat(viaResolver.outcome()).isInstanceOf(LookupOutcome.NxDomain.class);
    }

    @Test
    void probeShouldReportNoDataWhenNameHasNoMx() {
        ServerReply reply = probe.ask(nsd1, "ns1." + servers.domain(), Type.MX).join();

        assertThat(reply.outcome()).isEqualTo(new LookupOutcome.NoData(60));
    }

    @Test
    void authoritativeShouldRefuseWhenZoneNotServed() {
        ServerReply reply = probe.ask(nsd1, "example.org", Type.MX).join();

        assertThat(reply.outcome()).isEqualTo(new LookupOutcome.Refused());
    }

    @Test
    void resolverShouldServfailWhenItsUpstreamRefuses() {
        // Unbound forwards "." to NSD #1, which refuses zones it does not serve: Unbound answers SERVFAIL.
        ServerReply reply = probe.ask(unbound, "example.org", Type.MX).join();

        assertThat(reply.outcome()).isEqualTo(new LookupOutcome.ServFail());
    }

    @Test
    void probeShouldTimeOutWhenServerNeverAnswers() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DnsProbe fast = new DnsProbe(DnsProbe.Settings.DEFAULT.withQueryTimeout(Duration.ofMillis(300)))) {
            NameServer dead = new NameServer("silent", NameServer.Role.RESOLVER, "127.0.0.1", silent.getLocalPort());

            ServerReply reply = fast.ask(dead, servers.domain(), Type.MX).join();

            assertThat(reply.outcome()).isEqualTo(new LookupOutcome.Timeout());
            assertThat(reply.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void pollShouldReportEachServerOutcomeWhenSomeFail() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DnsProbe fast = new DnsProbe(DnsProbe.Settings.DEFAULT.withQueryTimeout(Duration.ofMillis(300)))) {
            NameServer dead = new NameServer("silent", NameServer.Role.RESOLVER, "127.0.0.1", silent.getLocalPort());
            NameServer nsd2 = new NameServer(
                    "nsd2",
                    NameServer.Role.AUTHORITATIVE,
                    "127.0.0.1",
                    servers.dns().secondAuthoritativePort());

            List<Observation> observations =
                    fast.observeAll("example.org", List.of(nsd1, unbound, dead)).join();
            List<Observation> mixed = fast.observeAll(servers.domain(), List.of(nsd1, nsd2, dead, unbound))
                    .join();

            assertThat(observations)
                    .extracting(o -> o.mx().outcome().code())
                    .containsExactly("REFUSED", "SERVFAIL", "TIMEOUT");
            assertThat(mixed)
                    .extracting(o -> o.mx().outcome().code())
                    .containsExactly("NOERROR", "NOERROR", "TIMEOUT", "NOERROR");
        }
    }

    @Test
    void probeShouldRetryOverTcpWhenUdpAnswerIsTruncated() {
        String zone = Zones.unique("big");
        List<String> mx = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            mx.add((i * 10) + " mail-exchanger-number-" + i + ".some-long-provider-name.test.");
        }
        servers.dns()
                .writeZone(
                        zone,
                        Zones.zone(
                                zone,
                                60,
                                300,
                                mx.toArray(String[]::new),
                                "@ IN TXT \"v=spf1 include:spf.new.test -all\""));
        servers.dns().reload();

        try (DnsProbe plain = new DnsProbe(DnsProbe.Settings.DEFAULT.withEdns(false))) {
            ServerReply reply = plain.ask(nsd1, zone, Type.MX).join();

            assertThat(reply.retriedOverTcp()).isTrue();
            assertThat(((LookupOutcome.NoError) reply.outcome()).answers())
                    .hasSize(30)
                    .contains("300 mail-exchanger-number-30.some-long-provider-name.test");
            assertThat(reply.authoritativeAnswer()).isTrue();
        }
        ServerReply small = probe.ask(nsd1, zone, Type.TXT).join();
        assertThat(small.retriedOverTcp()).isFalse();
    }

    @Test
    void discoveryShouldFindNsAddressesWhenAskedThroughResolver() throws Exception {
        // ns1.example.test has no NS of its own (NODATA): discovery walks up to the zone apex.
        List<NameServer> found = new NameServerDiscovery(probe)
                .discover("ns1." + servers.domain(), unbound, servers.dns().authoritativePort());

        assertThat(found)
                .containsExactly(new NameServer(
                        "ns1.example.test/127.0.0.1",
                        NameServer.Role.AUTHORITATIVE,
                        "127.0.0.1",
                        servers.dns().authoritativePort()));
    }

    @Test
    void preflightShouldPassWhenMxHostGreetsAndFailWhenNotListening() throws Exception {
        String zone = Zones.unique("pre");
        servers.dns()
                .writeZone(zone, Zones.zone(zone, 60, 300, Zones.mx(), "mx1 IN A 127.0.0.1", "mx2 IN A 127.0.0.1"));
        servers.dns().reload();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        MxPreflight preflight = new MxPreflight(probe, Duration.ofSeconds(2));
        List<MxHost> hosts = List.of(new MxHost(10, "mx1." + zone), new MxHost(20, "missing." + zone));

        List<PreflightResult> listening =
                preflight.check(hosts, unbound, servers.legacySmtp().port());
        List<PreflightResult> closed = preflight.check(hosts.subList(0, 1), unbound, closedPort);

        assertThat(listening)
                .extracting(PreflightResult::status)
                .containsExactly(PreflightResult.Status.OK, PreflightResult.Status.NO_ADDRESS);
        assertThat(listening.get(0).addresses()).containsExactly("127.0.0.1");
        assertThat(closed.get(0).status()).isEqualTo(PreflightResult.Status.NOT_LISTENING);
        assertThat(closed.get(0).detail()).contains(Integer.toString(closedPort));
    }

    @Test
    void dnssecShouldBeInsecureWhenNoTrustAnchorCoversTheZone() {
        DnssecStatus status = new DnssecCheck(Duration.ofSeconds(2))
                .check(servers.domain(), unbound, new ByteArrayInputStream(new byte[0]));

        assertThat(status.status()).isEqualTo(DnssecStatus.Status.INSECURE);
    }

    @Test
    void dnssecShouldBeBogusWhenDsPointsAtAKeyTheZoneDoesNotHave() {
        // What a registrar still publishing the old provider's DS looks like after the DNS hosting moved.
        String staleDs = servers.domain() + ". IN DS 12345 13 2 "
                + "3F3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F70819";

        DnssecStatus status = new DnssecCheck(Duration.ofSeconds(2))
                .check(
                        servers.domain(),
                        unbound,
                        new ByteArrayInputStream(staleDs.getBytes(StandardCharsets.US_ASCII)));

        assertThat(status.status()).isEqualTo(DnssecStatus.Status.BOGUS);
    }

    @Test
    void dnssecShouldBeSecureWhenZoneSignedAndTrustAnchorIsItsDs(@TempDir Path keys) {
        String zone = Zones.unique("signed");
        Zones.Signed signed = Zones.sign(
                zone,
                Zones.zone(zone, 60, 30, Zones.mx("10 mx1.new.test."), "@ IN TXT \"v=spf1 include:spf.new.test -all\""),
                keys);
        servers.dns().writeZone(zone, signed.zoneText());
        servers.dns().reload();

        DnssecStatus secure = new DnssecCheck(Duration.ofSeconds(2))
                .check(zone, unbound, new ByteArrayInputStream(signed.ds().getBytes(StandardCharsets.US_ASCII)));
        DnssecStatus withRoot = new DnssecCheck(Duration.ofSeconds(2)).check(zone, unbound, List.of(signed.ds()));

        assertThat(secure.status()).as(secure.detail()).isEqualTo(DnssecStatus.Status.SECURE);
        assertThat(withRoot.status()).as(withRoot.detail()).isEqualTo(DnssecStatus.Status.SECURE);
    }

    @Test
    void dnssecShouldBeBogusWhenSignedZoneWasChangedWithoutResigning(@TempDir Path keys) {
        // A DNS change pasted into the signed zone without re-signing: the MX's RRSIG no longer matches.
        String zone = Zones.unique("resigned");
        Zones.Signed signed = Zones.sign(zone, Zones.zone(zone, 60, 30, Zones.mx("10 mx.legacy.test.")), keys);
        servers.dns().writeZone(zone, signed.zoneText().replace("MX\t10 mx.legacy.test.", "MX\t10 mx1.new.test."));
        servers.dns().reload();

        DnssecStatus status = new DnssecCheck(Duration.ofSeconds(2)).check(zone, unbound, List.of(signed.ds()));

        assertThat(signed.zoneText()).contains("MX\t10 mx.legacy.test.");
        assertThat(status.status()).as(status.detail()).isEqualTo(DnssecStatus.Status.BOGUS);
    }
}
