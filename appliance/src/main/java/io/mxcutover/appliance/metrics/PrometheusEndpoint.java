package io.mxcutover.appliance.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry every binder registers with, and the servlet that renders it at each scrape. Before
 * rendering, each refresh registered with {@link #beforeScrape} runs (gauges read from the store and the DNS
 * history once per scrape); a refresh that fails is logged and its gauges keep their previous values.
 */
public final class PrometheusEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);

    /** The Prometheus text format, version 0.0.4 (what {@link PrometheusMeterRegistry#scrape()} writes). */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Runnable> refreshes = new CopyOnWriteArrayList<>();

    public PrometheusEndpoint() {
        // Two of ProcessorMetrics' names fail promtool's lint ("abbreviated units", "_count" on a gauge); the
        // exposition is kept lint-clean (ObservabilityIT runs promtool check metrics on it).
        registry.config()
                .meterFilter(MeterFilter.deny(id ->
                        id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Runs {@code refresh} before every scrape, in the order registered. */
    public void beforeScrape(Runnable refresh) {
        refreshes.add(refresh);
    }

    /** The text a scrape returns now. */
    public synchronized String scrape() {
        for (Runnable r : refreshes) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("a metrics refresh failed; its gauges keep their previous values: {}", e.toString());
            }
        }
        return registry.scrape();
    }

    /** {@code GET /metrics} on the admin port. */
    public HttpServlet servlet() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
                resp.setStatus(HttpServletResponse.SC_OK);
                resp.setContentType(CONTENT_TYPE);
                resp.setHeader("Cache-Control", "no-store");
                resp.setContentLength(body.length);
                resp.getOutputStream().write(body);
            }
        };
    }
}
