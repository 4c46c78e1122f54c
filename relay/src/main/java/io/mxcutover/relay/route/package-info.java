/**
 * Decides where a recipient goes: {@code route} is Postfix's {@code transport_maps} with
 * {@code relay:[host]:port} semantics, fed by the migration plan.
 *
 * <p>A {@link io.mxcutover.relay.route.RoutingTable} is an immutable snapshot of the migrated
 * domains (exact names; a domain's subdomains only when its
 * {@link io.mxcutover.relay.route.DomainRoute#includeSubdomains()} says so, like Postfix with
 * {@code parent_domain_matches_subdomains} off). The appliance rebuilds it whenever the plan is
 * reloaded or a domain's phase changes and hands it over through a {@code Supplier}, so the
 * relay reads the current table at every RCPT and at every delivery attempt.
 *
 * <p>{@link io.mxcutover.relay.route.Route#decide} is pure: {@code ToLegacy} while the domain is
 * relaying, {@code ToNew} once its phase is CATCHING_UP or COMPLETED, {@code Hold} when the
 * phase's target list is empty, {@code NotOurs} otherwise. Targets are host:port lists tried in
 * order. There is never an MX lookup for a migrated domain: after the MX switch the MX points at
 * this relay, so a lookup would loop.
 */
package io.mxcutover.relay.route;
