package io.mxcutover.dnscheck.watch;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.probe.DnsProbe;
import io.mxcutover.dnscheck.probe.NameServerDiscovery;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.Propagation;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.timeline.TimelineSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the watched domains when they are due and stores every poll.
 *
 * <p>Call order: {@link #watch} any time (also while running); {@link #start} once, then
 * {@link #close}. {@link #pollDue()} and {@link #pollNow} can be called directly (tests,
 * CLI); polls of one domain never overlap with themselves.
 */
public final class DnsWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DnsWatcher.class);

    private final DnsProbe probe;
    private final PollStore store;
    private final Clock clock;
    private final WatchSchedule schedule;
    private final Map<String, WatchedDomain> domains = new ConcurrentHashMap<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final ExecutorService discoveryPool;
    private ScheduledExecutorService timer;

    /**
     * What the watcher knows of a domain without asking the store: the latest poll and the
     * history folded ({@code summary}, for {@code expected}'s host set). {@code latest} is null
     * before the first poll.
     */
    private record State(Instant lastPoll, Verdict verdict, TimelineSummary summary, Poll latest) {}

    public DnsWatcher(DnsProbe probe, PollStore store, Clock clock, WatchSchedule schedule) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.discoveryPool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "dnscheck-discovery");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Adds a domain or replaces its settings. Cheap when nothing changed (called every tick);
     * reads the domain's stored summary and latest poll the first time, and folds the whole
     * stored history again only when the expected MX set changed.
     */
    public void watch(WatchedDomain domain) {
        WatchedDomain before = domains.put(domain.domain(), domain);
        State state = states.get(domain.domain());
        if (state == null || !state.summary().fits(domain.expected())) {
            states.put(domain.domain(), load(domain));
        } else if (before != null
                && (!before.resolvers().equals(domain.resolvers())
                        || !before.authoritative().equals(domain.authoritative()))) {
            // Other servers to ask: poll at the next round instead of after the interval.
            states.put(domain.domain(), new State(null, state.verdict(), state.summary(), state.latest()));
        }
    }

    private State load(WatchedDomain d) {
        Optional<TimelineSummary> stored = store.summary(d.domain()).filter(s -> s.fits(d.expected()));
        TimelineSummary summary;
        if (stored.isEmpty()) {
            // First watch with this expected set (or a store from before summaries): fold once.
            summary = TimelineSummary.of(d.expected(), store.history(d.domain()));
        } else {
            // Polls saved without their summary (a crash in between, polls written by hand): fold them in.
            summary = stored.get();
            for (Poll poll :
                    summary.lastPollAt().map(t -> store.since(d.domain(), t)).orElse(List.of())) {
                summary = summary.add(d.expected(), poll);
            }
        }
        if (stored.isEmpty() || !stored.get().equals(summary)) {
            store.saveSummary(d.domain(), summary);
        }
        List<Poll> latest = store.latest(d.domain(), 1);
        if (latest.isEmpty()) {
            return new State(null, Verdict.NOT_SWITCHED, summary, null);
        }
        DnsReport report = DnsReport.of(d.expected(), d.spf(), latest.get(0), summary);
        return new State(report.polledAt(), report.verdict(), summary, latest.get(0));
    }

    /**
     * Reloads a watched domain's state from the store when the store holds a newer poll than this watcher last saw:
     * another watcher sharing the store (another node, the one that leads the polling) polled it. One query when
     * nothing changed. Returns whether the state was reloaded.
     */
    public boolean refresh(String domain) {
        WatchedDomain d = domains.get(domain);
        if (d == null) {
            return false;
        }
        List<Poll> latest = store.latest(domain, 1);
        State state = states.get(domain);
        if (latest.isEmpty()
                || (state != null
                        && state.latest() != null
                        && !latest.get(0).at().isAfter(state.latest().at()))) {
            return false;
        }
        states.put(domain, load(d));
        return true;
    }

    /** {@link #refresh} of every watched domain; returns how many were reloaded. */
    public int refreshAll() {
        int n = 0;
        for (String domain : watchedDomains()) {
            if (refresh(domain)) {
                n++;
            }
        }
        return n;
    }

    public void unwatch(String domain) {
        domains.remove(domain);
        states.remove(domain);
    }

    /** The settings a domain is watched with. */
    public Optional<WatchedDomain> watched(String domain) {
        return Optional.ofNullable(domains.get(domain));
    }

    public List<String> watchedDomains() {
        return domains.keySet().stream().sorted().toList();
    }

    /** Starts polling: every {@code tick} the due domains are polled. */
    public synchronized void start(Duration tick) {
        if (timer != null) {
            throw new IllegalStateException("DNS watcher already started");
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dnscheck-watcher");
            t.setDaemon(true);
            return t;
        });
        var unused = timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        pollDue();
                    } catch (RuntimeException e) {
                        LOG.warn("DNS watch round failed, retrying at the next tick: {}", e.toString(), e);
                    }
                },
                0,
                tick.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Polls every domain whose next poll is due by the clock, in parallel; returns how many. */
    public int pollDue() {
        Instant now = clock.instant();
        List<WatchedDomain> due = due(now);
        List<CompletableFuture<Optional<DnsReport>>> polls = new ArrayList<>();
        for (WatchedDomain d : due) {
            polls.add(pollAsync(d, now));
        }
        polls.forEach(CompletableFuture::join);
        return due.size();
    }

    /** The domains whose next poll is due at {@code now}. Package-visible for tests. */
    List<WatchedDomain> due(Instant now) {
        List<WatchedDomain> due = new ArrayList<>();
        for (WatchedDomain d : domains.values()) {
            State state = states.get(d.domain());
            if (state == null || !now.isBefore(schedule.nextPoll(state.lastPoll(), state.verdict()))) {
                due.add(d);
            }
        }
        return due;
    }

    /** Polls one domain now, stores and returns the report. */
    public Optional<DnsReport> pollNow(String domain) {
        WatchedDomain d = domains.get(domain);
        if (d == null) {
            throw new IllegalArgumentException(domain + " is not watched");
        }
        return pollAsync(d, clock.instant()).join();
    }

    /** The report from the latest poll and the folded history (no store access), empty before the first poll. */
    public Optional<DnsReport> report(String domain) {
        WatchedDomain d = domains.get(domain);
        State state = states.get(domain);
        if (d == null
                || state == null
                || state.latest() == null
                || !state.summary().fits(d.expected())) {
            return Optional.empty();
        }
        return Optional.of(DnsReport.of(d.expected(), d.spf(), withUnpolled(d, state.latest()), state.summary()));
    }

    /**
     * The latest poll with a failed observation for every watched server it did not ask (a resolver
     * added since): a server never polled is unknown, so the verdict cannot be PROPAGATED on its behalf.
     */
    static Poll withUnpolled(WatchedDomain d, Poll latest) {
        List<NameServer> watched = new ArrayList<>(d.authoritative());
        watched.addAll(d.resolvers());
        List<Observation> observations = new ArrayList<>(latest.observations());
        for (NameServer server : watched) {
            boolean asked = latest.observations().stream()
                    .map(Observation::server)
                    .anyMatch(o ->
                            o.role() == server.role() && o.host().equals(server.host()) && o.port() == server.port());
            if (!asked) {
                ServerReply never = ServerReply.of(
                        new LookupOutcome.NetworkError("not polled yet (watched since the latest poll)"));
                observations.add(new Observation(server, never, never));
            }
        }
        return observations.size() == latest.observations().size()
                ? latest
                : new Poll(latest.domain(), latest.at(), observations);
    }

    /** Every stored poll, oldest first: reads the whole history (CLI, tests); see {@link #latest}. */
    public List<Poll> history(String domain) {
        return store.history(domain);
    }

    /** The newest {@code limit} stored polls, oldest first. */
    public List<Poll> latest(String domain, int limit) {
        return store.latest(domain, limit);
    }

    /** How many polls of the domain are stored. */
    public long pollCount(String domain) {
        return store.count(domain);
    }

    private CompletableFuture<Optional<DnsReport>> pollAsync(WatchedDomain d, Instant at) {
        CompletableFuture<List<NameServer>> servers = d.authoritative().isEmpty()
                ? CompletableFuture.supplyAsync(() -> discover(d), discoveryPool)
                : CompletableFuture.completedFuture(d.authoritative());
        return servers.thenCompose(auth -> {
                    List<NameServer> all = new ArrayList<>(auth);
                    all.addAll(d.resolvers());
                    return probe.observeAll(d.domain(), all);
                })
                .thenApply(observations -> record(d, new Poll(d.domain(), at, observations)))
                .exceptionally(e -> {
                    LOG.warn("DNS poll of {} failed: {}", d.domain(), e.getCause() != null ? e.getCause() : e);
                    return Optional.empty();
                });
    }

    private List<NameServer> discover(WatchedDomain d) {
        try {
            return new NameServerDiscovery(probe)
                    .discover(d.domain(), d.resolvers().get(0), d.authoritativePort());
        } catch (NameServerDiscovery.DiscoveryException e) {
            // No authoritative server: the poll still runs and its verdict is ERROR with the reason.
            LOG.warn("{}", e.getMessage());
            return List.of();
        }
    }

    /** Stores a finished poll with the history folded up to it, and updates the domain's state. */
    Optional<DnsReport> record(WatchedDomain d, Poll poll) {
        Verdict verdict =
                Propagation.evaluate(d.expected(), poll.observations()).verdict();
        State previous = states.get(d.domain());
        TimelineSummary summary;
        if (previous != null
                && previous.summary().fits(d.expected())
                && previous.summary()
                        .lastPollAt()
                        .map(t -> !poll.at().isBefore(t))
                        .orElse(true)) {
            summary = previous.summary().add(d.expected(), poll);
            store.save(poll, verdict, summary);
        } else {
            // XXX: the plan changed the expected set during this poll, or the clock went back: fold everything.
            store.save(poll, verdict);
            summary = TimelineSummary.of(d.expected(), store.history(d.domain()));
            store.saveSummary(d.domain(), summary);
        }
        DnsReport report = DnsReport.of(d.expected(), d.spf(), poll, summary);
        states.put(d.domain(), new State(poll.at(), report.verdict(), summary, poll));
        if (previous == null || previous.verdict() != report.verdict()) {
            LOG.info(
                    "MX of {}: {} -> {} ({})",
                    d.domain(),
                    previous == null ? "-" : previous.verdict(),
                    report.verdict(),
                    report.propagation().reason());
        }
        return Optional.of(report);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        discoveryPool.shutdownNow();
    }
}
