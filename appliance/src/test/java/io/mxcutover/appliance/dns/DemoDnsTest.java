package io.mxcutover.appliance.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.demo.DemoDns;
import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.probe.DnsProbe;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import io.mxcutover.dnscheck.spf.SpfResult;
import io.mxcutover.dnscheck.watch.DnsWatcher;
import io.mxcutover.dnscheck.watch.MemoryPollStore;
import io.mxcutover.dnscheck.watch.WatchSchedule;
import io.mxcutover.dnscheck.watch.WatchedDomain;
import io.mxcutover.it.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * The demo's DNS as the watcher sees it: the MX switch is published at once on the
 * authoritative server and reaches the caching resolver when the old answer's TTL ran out.
 */
class DemoDnsTest {
    @Test
    void demoDnsShouldGoFromNotSwitchedToPropagatedWhenZoneFileSwitchedAndTtlRunsOut(@TempDir Path dir)
            throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
        try (DemoDns dns = DemoDns.start(dir, clock);
                DnsProbe probe = new DnsProbe(DnsProbe.Settings.DEFAULT.withQueryTimeout(Duration.ofSeconds(2)));
                DnsWatcher watcher = new DnsWatcher(probe, new MemoryPollStore(), clock, WatchSchedule.DEFAULT)) {
            WatchedDomain domain = new WatchedDomain(
                    ExpectedMx.of("example.test", List.of("mx1.new.example.test", "mx2.new.example.test")),
                    new SpfExpectation(List.of("include:spf.new.example.test"), List.of()),
                    List.of(NameServer.of(NameServer.Role.AUTHORITATIVE, "127.0.0.1:" + dns.authoritativePort())),
                    List.of(NameServer.of(NameServer.Role.RESOLVER, "127.0.0.1:" + dns.resolverPort())),
                    53);
            watcher.watch(domain);

            assertThat(watcher.pollNow("example.test").orElseThrow().verdict()).isEqualTo(Verdict.NOT_SWITCHED);
            assertThat(dns.switchCommand()).isEqualTo("cp " + dns.switchedZoneFile() + " " + dns.zoneFile());
            Files.copy(dns.switchedZoneFile(), dns.zoneFile(), StandardCopyOption.REPLACE_EXISTING);
            clock.advance(Duration.ofSeconds(10));
            DnsReport published = watcher.pollNow("example.test").orElseThrow();
            clock.advance(Duration.ofSeconds(25));
            DnsReport propagated = watcher.pollNow("example.test").orElseThrow();

            assertThat(published.verdict()).isEqualTo(Verdict.PUBLISHED);
            assertThat(published.spf().status()).isEqualTo(SpfResult.Status.OK);
            assertThat(published.timeline().expectedEnd().orElseThrow().at())
                    .isEqualTo(clock.instant().minusSeconds(25 - 30));
            assertThat(propagated.verdict()).isEqualTo(Verdict.PROPAGATED);
        }
    }

    @Test
    void demoDnsShouldCountDownTtlOnResolverAndRefuseOtherZones(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
        try (DemoDns dns = DemoDns.start(dir, clock);
                DnsProbe probe = new DnsProbe(DnsProbe.Settings.DEFAULT.withQueryTimeout(Duration.ofSeconds(2)))) {
            NameServer resolver = NameServer.of(NameServer.Role.RESOLVER, "127.0.0.1:" + dns.resolverPort());
            NameServer auth = NameServer.of(NameServer.Role.AUTHORITATIVE, "127.0.0.1:" + dns.authoritativePort());

            ServerReply first = probe.ask(resolver, "example.test", Type.MX).join();
            clock.advance(Duration.ofSeconds(12));
            ServerReply later = probe.ask(resolver, "example.test", Type.MX).join();
            ServerReply authoritative = probe.ask(auth, "example.test", Type.MX).join();

            assertThat(first.outcome()).isEqualTo(new LookupOutcome.NoError(List.of("10 mx.legacy.example.test"), 30));
            assertThat(later.outcome()).isEqualTo(new LookupOutcome.NoError(List.of("10 mx.legacy.example.test"), 18));
            assertThat(authoritative.authoritativeAnswer()).isTrue();
            assertThat(probe.ask(auth, "nothere.example.test", Type.MX).join().outcome())
                    .isEqualTo(new LookupOutcome.NxDomain(30));
            assertThat(probe.ask(auth, "example.org", Type.MX).join().outcome())
                    .isInstanceOf(LookupOutcome.Refused.class);
        }
    }
}
