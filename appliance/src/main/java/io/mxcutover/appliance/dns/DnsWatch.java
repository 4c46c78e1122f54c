package io.mxcutover.appliance.dns;

import io.dropwizard.lifecycle.Managed;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.dnscheck.plan.DnsPlan;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.probe.DnsProbe;
import io.mxcutover.dnscheck.probe.DnssecCheck;
import io.mxcutover.dnscheck.probe.DnssecStatus;
import io.mxcutover.dnscheck.probe.MxPreflight;
import io.mxcutover.dnscheck.probe.PreflightResult;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.MxHost;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import io.mxcutover.dnscheck.timeline.MxRetirement;
import io.mxcutover.dnscheck.watch.DnsWatcher;
import io.mxcutover.dnscheck.watch.JdbcPollStore;
import io.mxcutover.dnscheck.watch.WatchedDomain;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watcher as a Dropwizard {@link Managed}: every tick, brings the watched domains in line
 * with the plan and polls the due ones; every {@code dns.checkInterval}, checks each polled domain's
 * DNSSEC and its expected MX hosts ({@link TargetChecks}).
 *
 * <p>Several nodes sharing a store: only the node that holds the {@code dns-watch} leader lease polls
 * ({@link #leadWhen}); the others read the polls it stores: each tick, and at every read of a domain's
 * report (the cutover's gates, the API), a domain whose stored latest poll is newer than the one in memory
 * is reloaded from the store. The DNSSEC and MX-target checks are kept in memory by the node that ran them:
 * a node that does not lead shows them as not checked yet.
 */
public final class DnsWatch implements Managed, io.mxcutover.appliance.facts.DnsSource {

    private static final Logger LOG = LoggerFactory.getLogger(DnsWatch.class);

    /** TTL in the printed DNS plan: short while moving, so that a mistake is undone in minutes. */
    static final long PLAN_TTL = 300;

    private final DnsWatchConfig config;
    private final Supplier<MigrationPlan> plan;
    private final DnsProbe probe;
    private final DnsWatcher watcher;
    private final Clock clock;
    private final DnssecCheck dnssecCheck;
    private final MxPreflight mxPreflight;
    private final Map<String, TargetChecks> checks = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private volatile java.util.function.BooleanSupplier leads = () -> true;

    public DnsWatch(DnsWatchConfig config, Supplier<MigrationPlan> plan, DataSource store, Clock clock) {
        this.config = config;
        this.plan = plan;
        this.probe = new DnsProbe(DnsProbe.Settings.DEFAULT.withQueryTimeout(
                java.time.Duration.ofMillis(config.queryTimeout.toMilliseconds())));
        this.watcher = new DnsWatcher(probe, new JdbcPollStore(store), clock, config.schedule());
        this.clock = clock;
        java.time.Duration timeout = java.time.Duration.ofMillis(config.queryTimeout.toMilliseconds());
        this.dnssecCheck = new DnssecCheck(timeout);
        this.mxPreflight = new MxPreflight(probe, timeout);
    }

    /** Polls only while {@code leader} says this node leads (the cluster's lease); always, by default. */
    public DnsWatch leadWhen(java.util.function.BooleanSupplier leader) {
        this.leads = leader;
        return this;
    }

    /** Whether this node polls now. */
    public boolean leads() {
        return leads.getAsBoolean();
    }

    @Override
    public synchronized void start() {
        if (!config.enabled) {
            LOG.info("DNS watcher disabled (dns.enabled: false)");
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dns-watch");
            t.setDaemon(true);
            return t;
        });
        var unused = timer.scheduleWithFixedDelay(this::tick, 0, config.tick.toMilliseconds(), TimeUnit.MILLISECONDS);
    }

    /** One round: plan -> watched domains, then the due polls. Package-visible for tests. */
    void tick() {
        try {
            syncWithPlan();
            if (leads.getAsBoolean()) {
                watcher.pollDue();
                checkDue();
            } else {
                watcher.refreshAll();
            }
        } catch (RuntimeException e) {
            LOG.warn("DNS watch round failed; next try in {}: {}", config.tick, e.toString(), e);
        }
    }

    /** Runs the DNSSEC and MX-target checks of each polled domain whose last checks are older than the interval. */
    void checkDue() {
        Instant now = clock.instant();
        java.time.Duration interval = java.time.Duration.ofMillis(config.checkInterval.toMilliseconds());
        checks.keySet().retainAll(watcher.watchedDomains());
        for (String domain : watcher.watchedDomains()) {
            TargetChecks last = checks.get(domain);
            if (report(domain).isPresent()
                    && (last == null || !last.checkedAt().plus(interval).isAfter(now))) {
                runChecks(domain);
            }
        }
    }

    /**
     * Checks {@code domain} now: DNSSEC through the first resolver (with {@code dns.trustAnchors} next to the
     * root's) and the SMTP preflight of the expected MX hosts on {@code dns.preflightPort}. A check that fails
     * to run is recorded as unknown with the reason.
     */
    Optional<TargetChecks> runChecks(String domain) {
        String d = normalize(domain);
        Optional<WatchedDomain> watched = watcher.watched(d);
        if (watched.isEmpty()) {
            return Optional.empty();
        }
        NameServer resolver = config.resolverServers().get(0);
        DnssecStatus dnssec;
        try {
            dnssec = dnssecCheck.check(d, resolver, config.trustAnchors);
        } catch (RuntimeException e) {
            dnssec = new DnssecStatus(DnssecStatus.Status.UNKNOWN, "the DNSSEC check could not run: " + e);
        }
        List<PreflightResult> targets = List.of();
        Optional<String> targetsError = Optional.empty();
        try {
            targets = mxPreflight.check(watched.get().expected().expected(), resolver, config.preflightPort);
        } catch (RuntimeException e) {
            LOG.warn("MX-target check of {} failed: {}", d, e.toString());
            targetsError = Optional.of(e.toString());
        }
        TargetChecks result = new TargetChecks(clock.instant(), dnssec, targets, targetsError);
        checks.put(d, result);
        return Optional.of(result);
    }

    /** Records checks run elsewhere (tests). */
    void recordChecks(String domain, TargetChecks result) {
        checks.put(normalize(domain), result);
    }

    /** The latest DNSSEC and MX-target checks of {@code domain}, empty before the first. */
    Optional<TargetChecks> checks(String domain) {
        return Optional.ofNullable(checks.get(normalize(domain)));
    }

    /** The {@code checks} object of the DNS report (see {@link TargetChecks#view}). */
    public Map<String, Object> checksView(String domain) {
        List<String> hosts = watcher.watched(normalize(domain))
                .map(w -> w.expected().expected().stream().map(MxHost::host).toList())
                .orElse(List.of());
        return TargetChecks.view(checks(domain), hosts);
    }

    void syncWithPlan() {
        Set<String> wanted = new HashSet<>();
        for (DomainPlan d : plan.get().domains()) {
            Optional<WatchedDomain> watched = watchedDomain(d);
            if (watched.isEmpty()) {
                continue;
            }
            wanted.add(watched.get().domain());
            watcher.watch(watched.get());
        }
        for (String d : watcher.watchedDomains()) {
            if (!wanted.contains(d)) {
                watcher.unwatch(d);
            }
        }
    }

    private Optional<WatchedDomain> watchedDomain(DomainPlan d) {
        // The watched switch is the one that anchors the catch-up window: legacy -> appliance in relay-first,
        // legacy -> new provider in switch-at-go-live (docs/reference/plan.md, "MX flows").
        if (d.target() == null || d.windowMx().isEmpty()) {
            return Optional.empty();
        }
        List<MxHost> expected = ExpectedMx.withDefaultPriorities(d.windowMx());
        List<MxHost> legacy = d.legacy() == null
                ? List.of()
                : ExpectedMx.withDefaultPriorities(d.legacy().mx());
        try {
            return Optional.of(new WatchedDomain(
                    new ExpectedMx(d.name(), expected, legacy),
                    spfExpectation(d),
                    config.authoritativeServers(),
                    config.resolverServers(),
                    config.authoritativePort));
        } catch (IllegalArgumentException e) {
            LOG.warn("Not watching the MX of {}: {}", d.name(), e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code new.spf} must be in the SPF record; {@code legacy.spf} must be gone when the plan asks. */
    static SpfExpectation spfExpectation(DomainPlan d) {
        List<String> forbidden =
                d.requireLegacySpfGone() && d.legacy() != null ? d.legacy().spf() : List.of();
        return new SpfExpectation(d.target().spf(), forbidden);
    }

    /** The records to publish for a watched domain (SPF built from the latest poll's record), empty if not watched. */
    public Optional<String> dnsPlan(String domain) {
        return watcher.watched(normalize(domain))
                .map(w -> DnsPlan.render(w.expected(), w.spf(), report(domain).map(DnsReport::spf), PLAN_TTL));
    }

    public boolean watches(String domain) {
        return watcher.watchedDomains().contains(normalize(domain));
    }

    public Optional<DnsReport> report(String domain) {
        String d = normalize(domain);
        if (!leads.getAsBoolean()) {
            watcher.refresh(d);
        }
        return watcher.report(d);
    }

    /** The newest {@code limit} polls, oldest first (the store is asked for those only). */
    public List<Poll> latestPolls(String domain, int limit) {
        return watcher.latest(normalize(domain), limit);
    }

    public long pollCount(String domain) {
        return watcher.pollCount(normalize(domain));
    }

    /** The newest {@code limit} polls as counts of servers on the new MX, oldest first (the console's chart). */
    public List<io.mxcutover.dnscheck.propagation.PropagationSeries.Point> series(String domain, int limit) {
        return watcher.watched(normalize(domain))
                .map(w -> io.mxcutover.dnscheck.propagation.PropagationSeries.of(
                        w.expected(), latestPolls(domain, limit)))
                .orElse(List.of());
    }

    /**
     * The cutover's view of the domain's DNS: UNKNOWN before the first poll, when not watched, and when
     * the latest poll is older than {@link DnsWatchConfig#staleAfter()}.
     */
    @Override
    public io.mxcutover.appliance.facts.DnsFacts facts(String domain) {
        return DnsFactsMapping.of(report(domain), clock.instant(), config.staleAfter());
    }

    /** How many of the newest polls the appliance-retirement verdict looks back over. */
    static final int RETIREMENT_POLLS = 500;

    /**
     * When {@code hosts} (the appliance's MX in a relay-first move) may be switched off, from the newest
     * polls; not yet while a server still returns one, gave no answer, or the latest poll is stale.
     */
    @Override
    public io.mxcutover.appliance.facts.HostsGone hostsGone(String domain, List<String> hosts) {
        if (!watches(domain)) {
            return new io.mxcutover.appliance.facts.HostsGone(
                    Optional.empty(), "the DNS watcher does not watch " + domain);
        }
        MxRetirement r = MxRetirement.evaluate(
                normalize(domain),
                Set.copyOf(hosts),
                latestPolls(domain, RETIREMENT_POLLS),
                clock.instant(),
                config.staleAfter());
        return new io.mxcutover.appliance.facts.HostsGone(r.at(), r.reason());
    }

    /** Polls the domain now (outside the schedule). */
    public Optional<DnsReport> pollNow(String domain) {
        String d = normalize(domain);
        if (!leads.getAsBoolean()) {
            // Fold in the leader's newest polls first, so the summary saved with this poll includes them.
            watcher.refresh(d);
        }
        return watcher.pollNow(d);
    }

    private static String normalize(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        watcher.close();
        probe.close();
    }
}
