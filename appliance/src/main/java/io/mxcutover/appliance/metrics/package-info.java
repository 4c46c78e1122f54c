/**
 * The appliance's metrics in the Prometheus text format, on the admin port at {@code GET /metrics}
 * (operator role, like the rest of the admin port): Micrometer's {@code PrometheusMeterRegistry} renders
 * them, nothing here writes the exposition format by hand.
 *
 * <p>Each part is bound by one class: {@link io.mxcutover.appliance.metrics.RelayMeters} (the relay's
 * counters, queue gauges and the delivery latency histogram), {@link io.mxcutover.appliance.metrics.SyncMeters}
 * (copies, pass durations, errors, mailbox states, throttle pauses, lag),
 * {@link io.mxcutover.appliance.metrics.DnsMeters} (verdict, resolvers on the new MX, time since the switch)
 * and {@link io.mxcutover.appliance.metrics.CutoverMeters} (phase, window time left). The relay, sync and
 * dnscheck modules know nothing of Micrometer: they count in their own small classes
 * ({@code RelayMetrics}, {@code PassObserver}, {@code ServerGates.throttleCounts}) and these classes read them.
 *
 * <p>Gauges that need the store or the DNS history are computed once per scrape, by
 * {@link io.mxcutover.appliance.metrics.PrometheusEndpoint} calling each binder's refresh before it renders.
 * Labels are bounded: {@code domain} (the plan's domains), {@code server} (the plan's IMAP servers), and
 * enumerations (state, phase, verdict, reason, kind); never a mailbox or a message. The names, labels and
 * meanings are listed in {@code docs/reference/metrics.md}.
 */
package io.mxcutover.appliance.metrics;
