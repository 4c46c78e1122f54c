package io.mxcutover.appliance.alert;

import io.dropwizard.lifecycle.Managed;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.CutoverService;
import io.mxcutover.appliance.cutover.DomainView;
import io.mxcutover.appliance.readiness.Check;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the domains every {@code alerts.checkInterval}, compares with the reading before
 * ({@link AlertRules#compare}) and sends what that calls for. Keeps only the last reading, in memory.
 */
public final class AlertWatch implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(AlertWatch.class);

    private final Supplier<AlertReading> read;
    private final Alerts alerts;
    private final AlertConfig config;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alert-watch");
        t.setDaemon(true);
        return t;
    });
    private Optional<AlertReading> last = Optional.empty();

    public AlertWatch(Supplier<AlertReading> read, Alerts alerts, AlertConfig config) {
        this.read = read;
        this.alerts = alerts;
        this.config = config;
    }

    /** The reading of the appliance's domains from the cutover's views (live readiness while RELAYING). */
    public static Supplier<AlertReading> of(CutoverService cutover, LongSupplier bounced, Clock clock) {
        return () -> {
            List<AlertReading.Domain> domains = cutover.domainNames().stream()
                    .flatMap(n -> cutover.planned(n).stream())
                    .map(d -> domain(cutover.view(d)))
                    .toList();
            return new AlertReading(clock.instant(), domains, bounced.getAsLong());
        };
    }

    static AlertReading.Domain domain(DomainView v) {
        Optional<DomainView.ReadinessView> r = v.phase() == CutoverPhase.RELAYING ? v.readiness() : Optional.empty();
        return new AlertReading.Domain(
                v.domain(),
                v.phase(),
                r.map(DomainView.ReadinessView::ready),
                r.map(x -> x.checks().stream()
                                .filter(Check::failed)
                                .map(Check::name)
                                .toList())
                        .orElse(List.of()),
                v.dns().verdict(),
                v.relayQueue().oldestQueuedAt(),
                v.window().closesAt());
    }

    @Override
    public void start() {
        if (config.webhooks.isEmpty()) {
            return;
        }
        long every = config.checkInterval.toMilliseconds();
        var unused = timer.scheduleWithFixedDelay(this::checkQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        timer.shutdownNow();
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn(
                    "alert watch: the domains could not be read ({}); next try in {}",
                    e.toString(),
                    config.checkInterval);
        }
    }

    /** One reading: sends the alerts it calls for and keeps it as the one before the next. */
    public synchronized List<Alert> check() {
        AlertReading now = read.get();
        List<Alert> found =
                AlertRules.compare(last, now, config.queueAge.toJavaDuration(), config.windowNotice.toJavaDuration());
        found.forEach(alerts::send);
        last = Optional.of(now);
        return found;
    }
}
