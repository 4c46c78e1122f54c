package io.mxcutover.appliance.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.cluster.LeaderLease;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.watch.JdbcPollStore;
import io.mxcutover.it.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' DNS watchers on one store: only the holder of the {@code dns-watch} lease polls, the other reads its
 * polls from the store (the cutover's gates and the API on any node see the same DNS), and takes over when the lease
 * expires.
 */
class DnsWatchLeaderTest {
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void onlyTheLeaderShouldPollAndTheOtherNodeShouldReadItsPollsAndTakeOver() throws Exception {
        MutableClock clock = new MutableClock(T0);
        MigrationPlan plan = new MigrationPlan(
                dir.resolve("plan.yml"),
                "f",
                java.time.Duration.ofHours(48),
                java.time.Duration.ofHours(6),
                List.of(DnsResourceTest.domain("example.com", List.of("mx1.new.example", "mx2.new.example"))));
        DnsWatchConfig config = new DnsWatchConfig();
        config.authoritative = List.of("127.0.0.1:1");
        config.resolvers = List.of("127.0.0.1:2");
        Path file = dir.resolve("state/mx.db");
        try (Store a = Store.open(file);
                Store b = Store.open(file)) {
            Duration lease = Duration.ofSeconds(15);
            LeaderLease leaseA = new LeaderLease(a, "dns-watch", "node-a", clock, lease);
            LeaderLease leaseB = new LeaderLease(b, "dns-watch", "node-b", clock, lease);
            DnsWatch watchA = new DnsWatch(config, () -> plan, a.dataSource(), clock).leadWhen(leaseA::held);
            DnsWatch watchB = new DnsWatch(config, () -> plan, b.dataSource(), clock).leadWhen(leaseB::held);
            try {
                assertThat(leaseA.tryHold()).isTrue();
                assertThat(leaseB.tryHold()).isFalse();
                JdbcPollStore leaderWrites = new JdbcPollStore(a.dataSource());

                // The leader's polls (its watcher stores them in the shared tables; written here without the network).
                leaderWrites.save(
                        DnsResourceTest.poll(T0, "10 mx.legacy.example", "10 mx.legacy.example"), Verdict.NOT_SWITCHED);
                watchB.tick();
                assertThat(watchB.leads()).isFalse();
                assertThat(watchB.pollCount("example.com"))
                        .as("the other node does not poll")
                        .isEqualTo(1);
                assertThat(watchB.report("example.com").map(DnsReport::polledAt))
                        .contains(T0);
                assertThat(watchB.facts("example.com").toString()).contains("NOT_SWITCHED");

                // The leader's next observation (the new MX published) is read by the other node from the store at
                // its next read, without waiting for a tick.
                clock.advance(Duration.ofSeconds(5));
                leaderWrites.save(
                        DnsResourceTest.poll(
                                clock.instant(), "10 mx1.new.example\n20 mx2.new.example", "10 mx.legacy.example"),
                        Verdict.PUBLISHED);
                assertThat(watchA.leads()).isTrue();
                DnsReport seenByB = watchB.report("example.com").orElseThrow();
                assertThat(seenByB.polledAt()).isEqualTo(T0.plusSeconds(5));
                assertThat(seenByB.propagation().verdict()).isEqualTo(Verdict.PUBLISHED);
                assertThat(watchB.facts("example.com").toString()).contains("PUBLISHED");
                watchB.tick();
                assertThat(watchB.pollCount("example.com")).isEqualTo(2);

                // node-a dies (no renewal): within the lease nobody else leads, after it node-b does.
                clock.advance(Duration.ofSeconds(9));
                assertThat(leaseB.tryHold()).isFalse();
                clock.advance(Duration.ofSeconds(1));
                assertThat(watchA.leads()).isFalse();
                assertThat(leaseB.tryHold()).isTrue();
                assertThat(watchB.leads()).isTrue();
                assertThat(leaseA.tryHold()).isFalse();
            } finally {
                watchA.stop();
                watchB.stop();
            }
        }
    }
}
