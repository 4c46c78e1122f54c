/**
 * The relay inside the appliance: {@link io.mxcutover.appliance.relay.RelayManaged} runs the
 * {@code relay} library as a Dropwizard {@code Managed}, feeds it a routing table rebuilt from the
 * plan and the domain phases ({@link io.mxcutover.appliance.relay.RoutingTables}: RELAYING routes
 * to the plan's legacy SMTP hops, CATCHING_UP and COMPLETED to the new ones; soft bounce applies
 * while relaying), registers {@code relay.smtp} in the status listeners and answers the cutover's
 * relay-queue check. {@link io.mxcutover.appliance.relay.QueueResource} exposes the queue under
 * {@code /api/v1/queue}: reads for operators, retry/hold/release/delete for admins, each mutation
 * audited.
 */
package io.mxcutover.appliance.relay;
