package io.mxcutover.dnscheck.watch;

import io.mxcutover.dnscheck.probe.DnsProbe;
import io.mxcutover.dnscheck.probe.NameServerDiscovery;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.NameServer;
import io.mxcutover.dnscheck.propagation.Poll;
import io.mxcutover.dnscheck.propagation.Propagation;
import io.mxcutover.dnscheck.propagation.Verdict;
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

    private record State(Instant lastPoll, Verdict verdict) {
    }

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

    /** Adds a domain or replaces its settings; picks up its stored history's last verdict. */
    public void watch(WatchedDomain domain) {
        domains.put(domain.domain(), domain);
        states.computeIfAbsent(domain.domain(), d -> {
            List<Poll> history = store.history(d);
            if (history.isEmpty()) {
                return new State(null, Verdict.NOT_SWITCHED);
            }
            DnsReport report = DnsReport.of(domain.expected(), domain.spf(), history);
            return new State(report.polledAt(), report.verdict());
        });
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
        timer.scheduleWithFixedDelay(() -> {
            try {
                pollDue();
            } catch (RuntimeException e) {
                LOG.warn("DNS watch round failed, retrying at the next tick: {}", e.toString(), e);
            }
        }, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Polls every domain whose next poll is due by the clock, in parallel; returns how many. */
    public int pollDue() {
        Instant now = clock.instant();
        List<WatchedDomain> due = new ArrayList<>();
        for (WatchedDomain d : domains.values()) {
            State state = states.get(d.domain());
            if (state == null || !now.isBefore(schedule.nextPoll(state.lastPoll(), state.verdict()))) {
                due.add(d);
            }
        }
        List<CompletableFuture<Optional<DnsReport>>> polls = new ArrayList<>();
        for (WatchedDomain d : due) {
            polls.add(pollAsync(d, now));
        }
        polls.forEach(CompletableFuture::join);
        return due.size();
    }

    /** Polls one domain now, stores and returns the report. */
    public Optional<DnsReport> pollNow(String domain) {
        WatchedDomain d = domains.get(domain);
        if (d == null) {
            throw new IllegalArgumentException(domain + " is not watched");
        }
        return pollAsync(d, clock.instant()).join();
    }

    /** The report from the stored history, empty before the first poll. */
    public Optional<DnsReport> report(String domain) {
        WatchedDomain d = domains.get(domain);
        if (d == null) {
            return Optional.empty();
        }
        List<Poll> history = store.history(domain);
        return history.isEmpty() ? Optional.empty() : Optional.of(DnsReport.of(d.expected(), d.spf(), history));
    }

    public List<Poll> history(String domain) {
        return store.history(domain);
    }

    private CompletableFuture<Optional<DnsReport>> pollAsync(WatchedDomain d, Instant at) {
        CompletableFuture<List<NameServer>> servers = d.authoritative().isEmpty()
                ? CompletableFuture.supplyAsync(() -> discover(d), discoveryPool)
                : CompletableFuture.completedFuture(d.authoritative());
        return servers
                .thenCompose(auth -> {
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
            return new NameServerDiscovery(probe).discover(d.domain(), d.resolvers().get(0), d.authoritativePort());
        } catch (NameServerDiscovery.DiscoveryException e) {
            // No authoritative server: the poll still runs and its verdict is ERROR with the reason.
            LOG.warn("{}", e.getMessage());
            return List.of();
        }
    }

    private Optional<DnsReport> record(WatchedDomain d, Poll poll) {
        Verdict verdict = Propagation.evaluate(d.expected(), poll.observations()).verdict();
        store.save(poll, verdict);
        DnsReport report = DnsReport.of(d.expected(), d.spf(), store.history(d.domain()));
        State previous = states.put(d.domain(), new State(poll.at(), report.verdict()));
        if (previous == null || previous.verdict() != report.verdict()) {
            LOG.info("MX of {}: {} -> {} ({})", d.domain(), previous == null ? "-" : previous.verdict(),
                    report.verdict(), report.propagation().reason());
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
