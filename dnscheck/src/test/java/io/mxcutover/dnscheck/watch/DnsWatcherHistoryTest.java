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
import io.mxcutover.dnscheck.timeline.TimelineSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A domain with a long history costs a poll what a new one does: the watcher reads the whole
 * history at most once (first watch, or a changed expected set), then works from the folded
 * summary. Counted in polls read from the store, not timed (no timing asserts in tests).
 */
class DnsWatcherHistoryTest {

    static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");
    static final WatchedDomain DOMAIN = new WatchedDomain(
            ExpectedMx.of("example.com", List.of("mx1.new.example")),
            SpfExpectation.NONE,
            List.of(NameServer.of(NameServer.Role.AUTHORITATIVE, "127.0.0.1:1")),
            List.of(NameServer.of(NameServer.Role.RESOLVER, "127.0.0.1:2")),
            53);
    static final int STORED = 20_000;

    final DnsProbe probe = new DnsProbe(DnsProbe.Settings.DEFAULT);
    final CountingStore store = new CountingStore(new MemoryPollStore());

    @AfterEach
    void close() {
        probe.close();
    }

    /** Legacy until poll 10,000, then the new MX on the authoritative server; resolver follows 600 polls later. */
    static Poll poll(int i) {
        NameServer ns = DOMAIN.authoritative().get(0);
        NameServer resolver = DOMAIN.resolvers().get(0);
        boolean published = i >= STORED / 2;
        boolean cached = i >= STORED / 2 + 600;
        ServerReply txt = new ServerReply(new LookupOutcome.NoData(60), true, false, Duration.ofMillis(1));
        return new Poll(
                "example.com",
                T0.plusSeconds(30L * i),
                List.of(
                        new Observation(
                                ns,
                                new ServerReply(
                                        new LookupOutcome.NoError(
                                                List.of(published ? "10 mx1.new.example" : "10 mx.legacy.example"),
                                                published ? 300 : 3600),
                                        true,
                                        false,
                                        Duration.ofMillis(1)),
                                txt),
                        new Observation(
                                resolver,
                                new ServerReply(
                                        new LookupOutcome.NoError(
                                                List.of(cached ? "10 mx1.new.example" : "10 mx.legacy.example"), 1200),
                                        false,
                                        false,
                                        Duration.ofMillis(1)),
                                txt)));
    }

    DnsWatcher watcher() {
        return new DnsWatcher(probe, store, Clock.fixed(T0, ZoneOffset.UTC), WatchSchedule.DEFAULT);
    }

    @Test
    void watcherShouldNotReadHistoryPerPollWhenDomainHasManyPolls() {
        for (int i = 0; i < STORED; i++) {
            store.save(poll(i), Verdict.NOT_SWITCHED);
        }
        try (DnsWatcher watcher = watcher()) {
            watcher.watch(DOMAIN);
            assertThat(store.pollsRead.get())
                    .as("one fold of the stored history at first watch")
                    .isEqualTo(STORED + 1);
            store.pollsRead.set(0);

            Optional<DnsReport> last = Optional.empty();
            for (int i = STORED; i < STORED + 1000; i++) {
                watcher.watch(DOMAIN);
                last = watcher.record(DOMAIN, poll(i));
                watcher.report("example.com");
            }

            assertThat(store.pollsRead.get())
                    .as("polls read back during 1,000 polls")
                    .isZero();
            List<Poll> all = store.history("example.com");
            DnsReport full = DnsReport.of(DOMAIN.expected(), DOMAIN.spf(), all);
            assertThat(last.orElseThrow().timeline()).isEqualTo(full.timeline());
            assertThat(last.orElseThrow().verdict()).isEqualTo(Verdict.PROPAGATED);
            assertThat(full.timeline().switchTime()).contains(poll(STORED / 2).at());
            assertThat(watcher.report("example.com").orElseThrow().timeline()).isEqualTo(full.timeline());
        }
    }

    @Test
    void watcherShouldStartFromStoredSummaryWhenRestarted() {
        try (DnsWatcher first = watcher()) {
            first.watch(DOMAIN);
            for (int i = 0; i < 2000; i++) {
                first.record(DOMAIN, poll(i + STORED / 2 - 1000));
            }
        }
        // A poll saved without its summary (crash between the two in an older version, or by hand).
        store.save(poll(STORED / 2 + 1000), Verdict.PROPAGATED);
        store.pollsRead.set(0);

        try (DnsWatcher second = watcher()) {
            second.watch(DOMAIN);

            assertThat(store.pollsRead.get())
                    .as("the poll after the summary, and the latest poll")
                    .isEqualTo(2);
            DnsReport report = second.report("example.com").orElseThrow();
            assertThat(report.timeline())
                    .isEqualTo(DnsReport.of(DOMAIN.expected(), DOMAIN.spf(), store.history("example.com"))
                            .timeline());
            assertThat(store.summary("example.com").orElseThrow().polls()).isEqualTo(2001);
        }
    }

    @Test
    void watcherShouldFoldHistoryAgainWhenExpectedSetChanges() {
        try (DnsWatcher watcher = watcher()) {
            watcher.watch(DOMAIN);
            for (int i = 0; i < 20; i++) {
                watcher.record(DOMAIN, poll(i + STORED / 2 - 10));
            }
            WatchedDomain moved = new WatchedDomain(
                    ExpectedMx.of("example.com", List.of("mx.legacy.example")),
                    SpfExpectation.NONE,
                    DOMAIN.authoritative(),
                    DOMAIN.resolvers(),
                    53);
            store.pollsRead.set(0);

            watcher.watch(moved);

            assertThat(store.pollsRead.get()).isEqualTo(20 + 1);
            TimelineSummary summary = store.summary("example.com").orElseThrow();
            assertThat(summary.fits(moved.expected())).isTrue();
            assertThat(watcher.report("example.com").orElseThrow().verdict()).isEqualTo(Verdict.NOT_SWITCHED);
        }
    }

    /** Counts the polls the watcher reads back from the store (test reads go through {@link #history}). */
    static final class CountingStore implements PollStore {
        final PollStore delegate;
        final AtomicLong pollsRead = new AtomicLong();

        CountingStore(PollStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void save(Poll poll, Verdict verdict) {
            delegate.save(poll, verdict);
        }

        @Override
        public void save(Poll poll, Verdict verdict, TimelineSummary summary) {
            delegate.save(poll, verdict, summary);
        }

        @Override
        public void saveSummary(String domain, TimelineSummary summary) {
            delegate.saveSummary(domain, summary);
        }

        @Override
        public Optional<TimelineSummary> summary(String domain) {
            return delegate.summary(domain);
        }

        @Override
        public List<Poll> history(String domain) {
            List<Poll> polls = delegate.history(domain);
            pollsRead.addAndGet(polls.size());
            return polls;
        }

        @Override
        public List<Poll> latest(String domain, int limit) {
            List<Poll> polls = delegate.latest(domain, limit);
            pollsRead.addAndGet(polls.size());
            return polls;
        }

        @Override
        public List<Poll> since(String domain, Instant after) {
            List<Poll> polls = delegate.since(domain, after);
            pollsRead.addAndGet(polls.size());
            return polls;
        }

        @Override
        public long count(String domain) {
            return delegate.count(domain);
        }
    }
}
