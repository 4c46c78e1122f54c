package io.mxcutover.appliance.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.PhaseListener;
import io.mxcutover.appliance.hook.HookContext;
import io.mxcutover.appliance.hook.HookEvent;
import io.mxcutover.sync.time.Sleeper;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to the configured webhooks: {@link #send} queues one delivery per webhook that wants the event
 * and returns at once; deliveries run on threads of their own, so a receiver that is down delays other alerts
 * at most, never the migration. Listens where the hooks do: phase changes ({@link PhaseListener}) and the
 * hooks' own events ({@link #hookFired}: {@code mailbox-failed}).
 */
public final class Alerts implements PhaseListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);

    private final List<Target> targets;
    private final AuditLog audit;
    private final Clock clock;
    private final ExecutorService pool;

    private record Target(AlertConfig.Webhook hook, WebhookDelivery delivery) {}

    public Alerts(AlertConfig config, AuditLog audit, Clock clock, Sleeper sleeper, ObjectMapper json) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.targets = config.webhooks.stream()
                .map(w -> new Target(w, new WebhookDelivery(w, http, sleeper, json)))
                .toList();
        this.audit = audit;
        this.clock = clock;
        this.pool = Executors.newFixedThreadPool(Math.max(1, targets.size()), r -> {
            Thread t = new Thread(r, "alert");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues the alert for every webhook that wants it; returns at once. Never throws. */
    public void send(Alert a) {
        for (Target t : targets) {
            if (!t.hook().wants(a.event())) {
                continue;
            }
            try {
                pool.execute(() -> deliver(t, a));
            } catch (RejectedExecutionException e) {
                LOG.warn("alert {} to webhook {} not sent: the appliance is stopping", a, t.hook());
            }
        }
    }

    private void deliver(Target t, Alert a) {
        WebhookDelivery.Result r;
        try {
            r = t.delivery().deliver(a);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("alert {} to webhook {} not sent: the appliance is stopping", a, t.hook());
            return;
        } catch (RuntimeException e) {
            r = new WebhookDelivery.Result(false, 1, e.toString());
        }
        String reason = "alert " + a.event() + " to webhook " + t.hook().name + ": "
                + (r.delivered() ? "delivered" : "not delivered") + " after " + r.attempts() + " attempt(s), "
                + r.last();
        if (r.delivered()) {
            LOG.info("{} ({})", reason, a);
        } else {
            LOG.warn("{} ({}); the migration goes on", reason, a);
        }
        try {
            audit.record(
                    "alert:" + t.hook().name,
                    a.domain().equals("*") ? Optional.empty() : Optional.of(a.domain()),
                    r.delivered() ? "alert.sent" : "alert.failed",
                    reason,
                    "id " + a.id() + "; " + a);
        } catch (RuntimeException e) {
            LOG.warn("alert {}: the delivery could not be audited: {}", a.id(), e.toString());
        }
    }

    /** Every phase change on disk (RELAYING -> CATCHING_UP, CATCHING_UP -> COMPLETED, a rollback). */
    @Override
    public void phaseChanged(String domain, CutoverPhase from, CutoverPhase to) {
        send(Alert.of(AlertEvent.PHASE_CHANGED, domain, Optional.empty(), from + " -> " + to, clock.instant()));
    }

    /** The hooks' events that need a human: a mailbox that failed (once, until it syncs again). */
    public void hookFired(HookContext c) {
        if (c.event() == HookEvent.MAILBOX_FAILED) {
            send(Alert.of(AlertEvent.MAILBOX_FAILED, c.domain(), c.mailbox(), c.detail(), c.at()));
        }
    }

    /** Stops: deliveries under way are interrupted, queued ones dropped. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
