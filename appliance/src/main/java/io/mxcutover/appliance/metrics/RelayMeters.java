package io.mxcutover.appliance.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mxcutover.relay.RelayMetrics;
import java.time.Duration;
import java.util.Locale;

/**
 * The relay's metrics: its {@code relay.*} counters and queue gauges (kept by {@link RelayMetrics} in
 * Dropwizard's registry, which the console also reads) read at each scrape, and the delivery latency, a
 * histogram fed by the relay's {@link RelayMetrics.LatencyObserver}.
 */
public final class RelayMeters {
    /**
     * Buckets of the delivery latency: a relay on a LAN delivers in well under a second; a deferred message
     * waits minutes to days (the retry schedule's steps, up to the queue lifetime).
     */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofHours(1),
        Duration.ofHours(4),
        Duration.ofDays(1),
        Duration.ofDays(5)
    };

    private RelayMeters() {}

    /** Registers the relay's meters; returns the observer to install on the relay for the latency. */
    public static RelayMetrics.LatencyObserver bind(MetricRegistry dropwizard, MeterRegistry registry) {
        counter(registry, dropwizard, "accepted", "messages accepted (250 after DATA)");
        counter(registry, dropwizard, "spooled", "messages written to the spool (accepted ones and bounces)");
        counter(registry, dropwizard, "delivered", "recipients delivered to their target (2xx)");
        counter(registry, dropwizard, "deferred", "recipient attempts deferred (4xx, timeouts), to be retried");
        counter(registry, dropwizard, "bounced", "recipients bounced to the sender (5xx, or the queue lifetime ended)");
        counter(registry, dropwizard, "corrupt", "damaged message files set aside in corrupt/ during delivery");
        for (RelayMetrics.Rejection r : RelayMetrics.Rejection.values()) {
            String dropwizardName =
                    "relay.rejected." + r.name().toLowerCase(Locale.ROOT).replace('_', '-');
            FunctionCounter.builder(
                            "mxcutover.relay.rejected",
                            dropwizard,
                            d -> d.counter(dropwizardName).getCount())
                    .tag("reason", r.name().toLowerCase(Locale.ROOT))
                    .description("SMTP commands or messages the relay refused, by reason")
                    .register(registry);
        }
        io.micrometer.core.instrument.Gauge.builder(
                        "mxcutover.relay.queue.messages", dropwizard, d -> gauge(d, "relay.queue.size"))
                .description("messages in the relay's queue (incoming, active, deferred, hold)")
                .baseUnit("messages")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder(
                        "mxcutover.relay.queue.oldest.age", dropwizard, d -> gauge(d, "relay.queue.oldest-age-seconds"))
                .description("age of the oldest message in the relay's queue")
                .baseUnit("seconds")
                .register(registry);
        Timer latency = Timer.builder("mxcutover.relay.delivery.latency")
                .description("time from a message's arrival in the spool to its delivery, per delivered recipient")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        return latency::record;
    }

    private static void counter(MeterRegistry registry, MetricRegistry dropwizard, String name, String description) {
        FunctionCounter.builder(
                        "mxcutover.relay." + name,
                        dropwizard,
                        d -> d.counter("relay." + name).getCount())
                .description(description)
                .register(registry);
    }

    /** The relay's gauge, or NaN while the relay is not running (disabled, or not started yet). */
    private static double gauge(MetricRegistry dropwizard, String name) {
        Gauge<?> g = dropwizard.getGauges().get(name);
        return g != null && g.getValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
