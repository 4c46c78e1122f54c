/**
 * mxcutover's relay: the primary MX during a migration. It accepts mail for the migrated
 * domains only, stores it durably, and forwards every message byte for byte to the legacy
 * server before cutover and to the new server after, deciding at each delivery attempt.
 *
 * <p>Entry point: {@link io.mxcutover.relay.Relay} with {@link io.mxcutover.relay.RelaySettings},
 * a {@code Supplier<RoutingTable>} (rebuilt by the appliance when the plan or a phase changes),
 * a {@code Clock} and a {@code MetricRegistry}. Packages, in the order a message meets them:
 * {@code intake} (SMTP listener), {@code spool} (durable queue files), {@code queue} (scheduler,
 * workers, admin operations), {@code route} (where a recipient goes), {@code forward} (SMTP
 * client, failure policy, retry schedule, bounces); {@code smtp} holds the shared vocabulary.
 * Metrics: see {@link io.mxcutover.relay.RelayMetrics} (the delivery latency goes to the embedder's
 * {@code LatencyObserver}). Logs: an intake's and a delivery attempt's lines carry the MDC key
 * {@code queueId}, a recipient's delivery line also {@code domain}.
 */
package io.mxcutover.relay;
