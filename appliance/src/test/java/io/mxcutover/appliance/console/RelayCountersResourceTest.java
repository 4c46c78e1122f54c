package io.mxcutover.appliance.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayCountersResourceTest {

    @Test
    void countersShouldListTheRelayMetricsWithRejectionsByReason() {
        MetricRegistry metrics = new MetricRegistry();
        metrics.counter("relay.accepted").inc(5);
        metrics.counter("relay.delivered").inc(4);
        metrics.counter("relay.bounced").inc(1);
        metrics.counter("relay.rejected.relay-denied").inc(2);
        metrics.counter("sync.copied").inc(7);

        Map<String, Object> counters = new RelayCountersResource(metrics).counters();

        assertThat(counters)
                .containsEntry("accepted", 5L)
                .containsEntry("delivered", 4L)
                .containsEntry("bounced", 1L)
                .containsEntry("rejected", Map.of("relay-denied", 2L))
                .doesNotContainKey("copied");
    }

    @Test
    void countersShouldBeEmptyWhenTheRelayRegisteredNone() {
        assertThat(new RelayCountersResource(new MetricRegistry()).counters()).containsOnlyKeys("rejected");
    }
}
