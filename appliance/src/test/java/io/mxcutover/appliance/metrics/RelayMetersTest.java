package io.mxcutover.appliance.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mxcutover.relay.RelayMetrics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayMetersTest {
    final MetricRegistry dropwizard = new MetricRegistry();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void relayCountersShouldBeReadAtScrapeUnderPrometheusNames() {
        RelayMetrics relay = new RelayMetrics(dropwizard);
        relay.observeLatency(RelayMeters.bind(dropwizard, registry));
        relay.accepted();
        relay.rejected(RelayMetrics.Rejection.RELAY_DENIED);
        relay.delivered(2, Duration.ofSeconds(3));

        String text = registry.scrape();

        assertThat(text)
                .contains("mxcutover_relay_accepted_total 1.0")
                .contains("mxcutover_relay_delivered_total 2.0")
                .contains("mxcutover_relay_rejected_total{reason=\"relay_denied\"} 1.0")
                .contains("mxcutover_relay_rejected_total{reason=\"mail_loop\"} 0.0")
                .contains("mxcutover_relay_delivery_latency_seconds_bucket{le=\"1.0\"} 0")
                .contains("mxcutover_relay_delivery_latency_seconds_bucket{le=\"5.0\"} 2")
                .contains("mxcutover_relay_delivery_latency_seconds_count 2")
                .contains("mxcutover_relay_queue_messages NaN");
    }

    @Test
    void queueGaugesShouldShowOnceTheRelayRegistersThem() {
        RelayMetrics relay = new RelayMetrics(dropwizard);
        RelayMeters.bind(dropwizard, registry);
        relay.queueGauges(() -> 3, () -> 120);

        assertThat(registry.scrape())
                .contains("mxcutover_relay_queue_messages 3.0")
                .contains("mxcutover_relay_queue_oldest_age_seconds 120.0");
    }
}
