package io.mxcutover.appliance.relay;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.PhaseListener;
import io.mxcutover.appliance.facts.QueueSummary;
import io.mxcutover.appliance.facts.RelayQueueSource;
import io.mxcutover.appliance.plan.PlanWatcher;
import io.mxcutover.appliance.status.Listeners;
import io.mxcutover.appliance.store.DomainPhases;
import io.mxcutover.relay.Relay;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.schedule.QueueOperations;
import io.mxcutover.relay.schedule.QueuedMessage;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the relay for the appliance. The routing table is rebuilt when the plan is swapped, when
 * a domain's phase changes on this node (register this as a {@link PhaseListener}), and when the
 * stored phases differ from the ones the table was built from: every {@code cluster.phaseRefreshSeconds}
 * the phases are read (one query), so a cutover made on another node sharing the store routes here
 * within that period. Every delivery attempt reads the current route.
 */
public final class RelayManaged implements Managed, PhaseListener, RelayQueueSource {

    private static final Logger LOG = LoggerFactory.getLogger(RelayManaged.class);

    private final RelayConfig config;
    private final PlanWatcher plan;
    private final DomainPhases phases;
    private final Listeners listeners;
    private final Clock clock;
    private final MetricRegistry metrics;
    private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.EMPTY);
    private volatile Relay relay;
    private volatile io.mxcutover.relay.RelayMetrics.LatencyObserver latency = d -> {};
    /** The stored phases the routing table was built from. */
    private Map<String, CutoverPhase> builtFrom = Map.of();

    private volatile Duration phaseRefresh;
    private ScheduledExecutorService refresher;

    public RelayManaged(
            RelayConfig config,
            PlanWatcher plan,
            DomainPhases phases,
            Listeners listeners,
            Clock clock,
            MetricRegistry metrics) {
        this.config = config;
        this.plan = plan;
        this.phases = phases;
        this.listeners = listeners;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Rebuilds the routing table from the plan in force and the stored phases (one query). */
    public synchronized void rebuild() {
        try {
            Map<String, CutoverPhase> stored = phases.all();
            table.set(RoutingTables.from(plan.current(), stored::get));
            builtFrom = stored;
        } catch (RuntimeException e) {
            LOG.error("relay routes not updated (the previous routes stay in force): {}", e.toString());
        }
    }

    /**
     * Reads the stored phases and rebuilds the routing table when they differ from the ones it was built from (a
     * phase changed by another node). Returns the domains whose phase changed; empty when nothing did.
     */
    public synchronized Map<String, CutoverPhase> refreshPhases() {
        Map<String, CutoverPhase> stored = phases.all();
        if (stored.equals(builtFrom)) {
            return Map.of();
        }
        Map<String, CutoverPhase> changed = new TreeMap<>();
        stored.forEach((d, p) -> {
            if (builtFrom.get(d) != p) changed.put(d, p);
        });
        builtFrom.keySet().stream()
                .filter(d -> !stored.containsKey(d))
                .forEach(d -> changed.put(d, CutoverPhase.RELAYING));
        table.set(RoutingTables.from(plan.current(), stored::get));
        builtFrom = stored;
        changed.forEach((d, p) -> LOG.info(
                "relay routes rebuilt: domain {} is now {} (read from the store); queued mail for it goes to {} at"
                        + " its next attempt",
                d,
                p,
                p.routesToNew() ? "the new server" : "the legacy server"));
        return changed;
    }

    /** Reads the stored phases every {@code every} from {@link #start()} on (cluster.phaseRefreshSeconds). */
    public RelayManaged followPhases(Duration every) {
        this.phaseRefresh = every;
        return this;
    }

    /** The routing table in force. */
    public RoutingTable routes() {
        return table.get();
    }

    // Called on the refresher's thread only.
    private boolean refreshFailing;

    private void refreshQuietly() {
        try {
            refreshPhases();
            if (refreshFailing) {
                LOG.info("relay routes read from the store again");
                refreshFailing = false;
            }
        } catch (RuntimeException e) {
            // The store cannot be read from this node: the routes stay as they were (its health check says why).
            if (!refreshFailing) {
                LOG.warn(
                        "relay routes not refreshed from the store (the previous routes stay in force until it"
                                + " answers again): {}",
                        e.toString());
                refreshFailing = true;
            }
        }
    }

    @Override
    public void start() throws Exception {
        rebuild();
        plan.onChange(p -> rebuild());
        Duration every = phaseRefresh;
        if (every != null) {
            synchronized (this) {
                refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "relay-phase-refresh");
                    t.setDaemon(true);
                    return t;
                });
                var unused = refresher.scheduleWithFixedDelay(
                        this::refreshQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (!config.enabled) {
            LOG.info("relay disabled (relay.enabled: false)");
            return;
        }
        Relay r = new Relay(config.toSettings(), table::get, clock, metrics);
        r.metrics().observeLatency(latency);
        r.start();
        relay = r;
        InetSocketAddress a = r.listenAddress();
        listeners.put("relay.smtp", a.getAddress().getHostAddress(), a.getPort());
    }

    /** Where each delivered recipient's latency goes (the Prometheus histogram); set before {@link #start()}. */
    public void observeLatency(io.mxcutover.relay.RelayMetrics.LatencyObserver observer) {
        this.latency = observer;
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (refresher != null) {
                refresher.shutdownNow();
                refresher = null;
            }
        }
        Relay r = relay;
        relay = null;
        if (r != null) {
            r.stop();
        }
    }

    @Override
    public void phaseChanged(String domain, CutoverPhase from, CutoverPhase to) {
        rebuild();
        LOG.info(
                "relay routes rebuilt: domain {} is now {}; queued mail for it goes to {} at its next attempt",
                domain,
                to,
                to.routesToNew() ? "the new server" : "the legacy server");
    }

    /** The queue, or empty when the relay is disabled or not started. */
    public Optional<QueueOperations> queue() {
        Relay r = relay;
        return r == null ? Optional.empty() : Optional.of(r.queue());
    }

    @Override
    public QueueSummary queue(String domain) {
        Optional<QueueOperations> q = queue();
        if (q.isEmpty()) {
            return QueueSummary.UNKNOWN;
        }
        String d = domain.toLowerCase(Locale.ROOT);
        List<QueuedMessage> mine = q.get().list().stream()
                .filter(m -> m.recipients().stream().anyMatch(r -> inDomain(r, d)))
                .toList();
        boolean toNew = phases.phase(domain).routesToNew();
        int deferred =
                (int) mine.stream().filter(m -> m.state().equals("deferred")).count();
        int stuck = (int) mine.stream()
                .filter(m -> m.state().equals("hold") || (toNew && m.attempts() > 0))
                .count();
        Optional<Instant> oldest = mine.stream().map(QueuedMessage::arrival).min(Comparator.naturalOrder());
        String detail = mine.stream()
                .filter(m -> !m.lastReply().isEmpty())
                .findFirst()
                .map(m -> m.id() + ": " + m.lastReply())
                .orElse("");
        return new QueueSummary(true, mine.size(), deferred, stuck, oldest, detail);
    }

    private static boolean inDomain(String recipient, String domain) {
        String r = recipient.toLowerCase(Locale.ROOT);
        return r.endsWith("@" + domain) || r.endsWith("." + domain);
    }
}
