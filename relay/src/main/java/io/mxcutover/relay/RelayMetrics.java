package io.mxcutover.relay;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The relay's metrics, all under {@code relay.}: {@code accepted}, {@code rejected.<reason>},
 * {@code spooled}, {@code deferred}, {@code delivered}, {@code bounced}, {@code corrupt} (messages set
 * aside as damaged during delivery), {@code queue.size},
 * {@code queue.oldest-age-seconds}. Counters count recipients for delivered/deferred/bounced and
 * messages for accepted/spooled.
 *
 * <p>The delivery latency (arrival in the spool to the target's 2xx, per delivered recipient) is not kept
 * here: it goes to the {@link LatencyObserver} the embedder installs (the appliance's Prometheus histogram),
 * so the relay keeps no histogram of its own.
 */
public final class RelayMetrics {

    /** Why intake refused something; the metric suffix. */
    public enum Rejection {
        RELAY_DENIED,
        UNKNOWN_RECIPIENT,
        ROUTING_TRICK,
        BAD_SYNTAX,
        TOO_MANY_RECIPIENTS,
        OVERSIZE,
        BARE_LINE_ENDING,
        MAIL_LOOP,
        SPOOL_FAILURE,
        SPOOL_FULL,
        CALLOUT_TEMPFAIL,
        NO_RECIPIENTS,
        /** a UTF-8 address without SMTPUTF8 in MAIL FROM (553 5.6.7) */
        UNDECLARED_UTF8,
        /** a MAIL/RCPT parameter the relay does not serve (555 5.5.4) */
        UNSUPPORTED_PARAMETER;

        String metricName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Told how long each delivered recipient waited since its message arrived; any thread, must not block. */
    @FunctionalInterface
    public interface LatencyObserver {
        void delivered(java.time.Duration sinceArrival);
    }

    private final MetricRegistry registry;
    private volatile LatencyObserver latency = d -> {};
    private final Counter accepted;
    private final Counter spooled;
    private final Counter deferred;
    private final Counter delivered;
    private final Counter bounced;
    private final Counter corrupt;

    public RelayMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.accepted = registry.counter("relay.accepted");
        this.spooled = registry.counter("relay.spooled");
        this.deferred = registry.counter("relay.deferred");
        this.delivered = registry.counter("relay.delivered");
        this.bounced = registry.counter("relay.bounced");
        this.corrupt = registry.counter("relay.corrupt");
    }

    public void accepted() {
        accepted.inc();
    }

    public void spooled() {
        spooled.inc();
    }

    public void rejected(Rejection why) {
        registry.counter("relay.rejected." + why.metricName()).inc();
    }

    public void deferred(int recipients) {
        deferred.inc(recipients);
    }

    public void delivered(int recipients) {
        delivered.inc(recipients);
    }

    /** {@code recipients} delivered, each {@code sinceArrival} after its message was spooled. */
    public void delivered(int recipients, java.time.Duration sinceArrival) {
        delivered(recipients);
        LatencyObserver l = latency;
        for (int i = 0; i < recipients; i++) {
            l.delivered(sinceArrival);
        }
    }

    /** Installs the observer of delivery latencies (replacing the previous one). */
    public void observeLatency(LatencyObserver observer) {
        this.latency = java.util.Objects.requireNonNull(observer, "observer");
    }

    public void bounced(int recipients) {
        bounced.inc(recipients);
    }

    /** A damaged message file was moved to corrupt/ during delivery. */
    public void corrupt() {
        corrupt.inc();
    }

    public long count(String suffix) {
        return registry.counter("relay." + suffix).getCount();
    }

    /** Registers the queue gauges; the suppliers are read on every report. */
    public void queueGauges(LongSupplier size, LongSupplier oldestAgeSeconds) {
        registry.remove("relay.queue.size");
        registry.remove("relay.queue.oldest-age-seconds");
        registry.register("relay.queue.size", (Gauge<Long>) size::getAsLong);
        registry.register("relay.queue.oldest-age-seconds", (Gauge<Long>) oldestAgeSeconds::getAsLong);
    }
}
