package io.mxcutover.appliance.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.mxcutover.appliance.sync.SyncManaged;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.run.PassObserver;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.throttle.ServerGates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The sync's metrics. Per pass (the {@link PassObserver} the sync calls): messages and bytes copied, the
 * pass's duration and errors by kind ({@code message}: a message the target refused or that failed to copy;
 * {@code folder}: a folder not synced this pass; {@code mailbox}: the pass failed, e.g. login or connection).
 * Per scrape: mailboxes per state, throttle pauses per server, and the lag of continuous mode (how long ago
 * the least recently finished mailbox of a syncing domain finished its last pass).
 */
public final class SyncMeters implements PassObserver {
    static final Duration[] PASS_BUCKETS = {
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(30),
        Duration.ofHours(2),
        Duration.ofHours(8)
    };

    private final MeterRegistry registry;
    private final SyncManaged sync;
    private final Supplier<List<String>> domains;
    private final Clock clock;
    private final MultiGauge mailboxes;
    private final MultiGauge lag;
    private final Set<String> throttledServers = ConcurrentHashMap.newKeySet();

    public SyncMeters(MeterRegistry registry, SyncManaged sync, Supplier<List<String>> domains, Clock clock) {
        this.registry = registry;
        this.sync = sync;
        this.domains = domains;
        this.clock = clock;
        this.mailboxes = MultiGauge.builder("mxcutover.sync.mailboxes")
                .description("mailboxes of the domain in each sync state")
                .baseUnit("mailboxes")
                .register(registry);
        this.lag = MultiGauge.builder("mxcutover.sync.lag")
                .description("continuous mode: time since the least recently synced mailbox of the domain"
                        + " finished its last pass (absent while the domain is not being synced)")
                .baseUnit("seconds")
                .register(registry);
    }

    @Override
    public void passEnded(MailboxResult r, Duration took) {
        Tags domain = Tags.of("domain", domainOf(r.address()));
        if (r.copied() > 0) {
            Counter.builder("mxcutover.sync.messages.copied")
                    .description("messages copied from the legacy to the new server")
                    .tags(domain)
                    .register(registry)
                    .increment((double) r.copied());
        }
        if (r.copiedBytes() > 0) {
            Counter.builder("mxcutover.sync.copied")
                    .description("bytes of the messages copied")
                    .baseUnit("bytes")
                    .tags(domain)
                    .register(registry)
                    .increment((double) r.copiedBytes());
        }
        Timer.builder("mxcutover.sync.pass.duration")
                .description("duration of one pass over one mailbox, by the state it left the mailbox in")
                .tags(domain.and("state", r.phase().name().toLowerCase(Locale.ROOT)))
                .serviceLevelObjectives(PASS_BUCKETS)
                .register(registry)
                .record(took);
        long folders = r.folders().stream().filter(f -> f.error() != null).count();
        error(domain, "message", r.failedMessages());
        error(domain, "folder", folders);
        error(domain, "mailbox", r.phase() == MailboxStatus.Phase.FAILED ? 1 : 0);
    }

    private void error(Tags domain, String kind, long count) {
        // Registered at the first pass of the domain, so every kind shows (0) before it first happens.
        Counter c = Counter.builder("mxcutover.sync.errors")
                .description("sync failures by kind: message, folder, mailbox")
                .tags(domain.and("kind", kind))
                .register(registry);
        if (count > 0) {
            c.increment((double) count);
        }
    }

    /** Reads the store and the throttling gates; called before each scrape. */
    public void refresh() {
        Instant now = clock.instant();
        Map<String, Map<MailboxStatus.Phase, Long>> states = new TreeMap<>();
        Map<String, Optional<Instant>> oldestFinish = new TreeMap<>();
        for (String d : domains.get()) {
            states.put(d.toLowerCase(Locale.ROOT), zeroes());
        }
        for (MailboxStatus m : sync.mailboxStatuses()) {
            String d = domainOf(m.address());
            states.computeIfAbsent(d, k -> zeroes()).merge(m.phase(), 1L, Long::sum);
            Optional<Instant> f = m.finishedAt();
            oldestFinish.merge(
                    d,
                    f,
                    (a, b) -> a.isEmpty() || b.isEmpty()
                            ? Optional.empty()
                            : a.get().isBefore(b.get()) ? a : b);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        states.forEach((d, byPhase) -> byPhase.forEach((phase, n) -> rows.add(
                MultiGauge.Row.of(Tags.of("domain", d, "state", phase.name().toLowerCase(Locale.ROOT)), n))));
        mailboxes.register(rows, true);
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        oldestFinish.forEach((d, f) -> {
            if (sync.syncing(d)) {
                double seconds = f.map(t -> Math.max(0, Duration.between(t, now).toMillis() / 1000.0))
                        .orElse(Double.NaN);
                lags.add(MultiGauge.Row.of(Tags.of("domain", d), seconds));
            }
        });
        lag.register(lags, true);
        // The plan's servers from the start (0 until one throttles), and any other that throttled.
        Set<String> servers =
                new java.util.TreeSet<>(sync.gates().throttleCounts().keySet());
        for (String d : states.keySet()) {
            // Only a domain whose service exists already: asking for another would build one.
            if (!sync.syncing(d)) {
                continue;
            }
            sync.service(d).ifPresent(s -> {
                servers.add(ServerGates.key(s.settings().source()));
                servers.add(ServerGates.key(s.settings().target()));
            });
        }
        for (String server : servers) {
            if (throttledServers.add(server)) {
                FunctionCounter.builder(
                                "mxcutover.sync.throttle.pauses",
                                sync.gates(),
                                g -> g.throttleCounts().getOrDefault(server, 0L))
                        .description("times a server asked the sync to slow down (every mailbox on it paused)")
                        .tag("server", server)
                        .register(registry);
                io.micrometer.core.instrument.Gauge.builder(
                                "mxcutover.sync.throttle.waiting", sync.gates(), g -> g.waiting(server))
                        .description("mailboxes waiting now at the server's throttle gate")
                        .baseUnit("mailboxes")
                        .tag("server", server)
                        .register(registry);
            }
        }
    }

    private static Map<MailboxStatus.Phase, Long> zeroes() {
        Map<MailboxStatus.Phase, Long> m = new EnumMap<>(MailboxStatus.Phase.class);
        for (MailboxStatus.Phase p : MailboxStatus.Phase.values()) {
            m.put(p, 0L);
        }
        return m;
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
