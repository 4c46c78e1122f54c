package io.mxcutover.dnscheck.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.probe.DnsProbe;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A server the latest poll did not ask (watched since) is unknown: the report is not PROPAGATED for it. */
class DnsWatcherUnpolledTest {

    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    static final NameServer NS = NameServer.of(NameServer.Role.AUTHORITATIVE, "127.0.0.1:1");
    static final NameServer R1 = NameServer.of(NameServer.Role.RESOLVER, "127.0.0.1:2");
    static final NameServer R2 = NameServer.of(NameServer.Role.RESOLVER, "127.0.0.1:3");
    static final ExpectedMx EXPECTED = ExpectedMx.of("example.com", List.of("mx1.new.example"));

    final DnsProbe probe = new DnsProbe(DnsProbe.Settings.DEFAULT);

    @AfterEach
    void close() {
        probe.close();
    }

    static WatchedDomain watched(List<NameServer> resolvers) {
        return new WatchedDomain(EXPECTED, SpfExpectation.NONE, List.of(NS), resolvers, 53);
    }

    static Observation onNew(NameServer server) {
        ServerReply mx = new ServerReply(
                new LookupOutcome.NoError(List.of("10 mx1.new.example"), 300),
                server.authoritative(),
                false,
                Duration.ZERO);
        return new Observation(
                server,
                mx,
                new ServerReply(new LookupOutcome.NoData(60), server.authoritative(), false, Duration.ZERO));
    }

    @Test
    void reportShouldNotBePropagatedWhenAWatchedResolverWasNeverPolled() {
        try (DnsWatcher watcher =
                new DnsWatcher(probe, new MemoryPollStore(), Clock.fixed(T0, ZoneOffset.UTC), WatchSchedule.DEFAULT)) {
            watcher.watch(watched(List.of(R1)));
            DnsReport first = watcher.record(
                            watched(List.of(R1)), new Poll("example.com", T0, List.of(onNew(NS), onNew(R1))))
                    .orElseThrow();
            assertThat(first.verdict()).isEqualTo(Verdict.PROPAGATED);
            assertThat(watcher.due(T0)).isEmpty();

            watcher.watch(watched(List.of(R1, R2)));
            DnsReport report = watcher.report("example.com").orElseThrow();

            assertThat(report.verdict()).isEqualTo(Verdict.ERROR);
            assertThat(report.propagation().reason()).contains("127.0.0.1:3", "not polled yet");
            assertThat(watcher.due(T0))
                    .as("polled at the next round, not after the interval")
                    .extracting(WatchedDomain::domain)
                    .containsExactly("example.com");
        }
    }
}
