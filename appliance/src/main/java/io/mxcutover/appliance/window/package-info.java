/**
 * The catch-up window after go-live, and when the appliance may be retired: pure rules over values
 * ({@link io.mxcutover.appliance.window.WindowInputs} in, {@link io.mxcutover.appliance.window.WindowVerdict}
 * out), no I/O and no clock; admins' extensions and forced closes are
 * {@link io.mxcutover.appliance.window.WindowOverrides}, kept by the cutover's store.
 *
 * <h2>Catch-up window</h2>
 * {@link io.mxcutover.appliance.window.CatchUpWindow#evaluate}: after cutover, caches may still send
 * mail straight to legacy, so the sync keeps copying from legacy until the window closes at the latest of
 * the cutover time; the MX switch (seen on every authoritative server) + the configured length (48 h);
 * the time every watched resolver returned the new MX set + the largest old TTL; the last message found
 * new on legacy + the quiet period (6 h); then later by admin extensions. An admin's forced close closes
 * it at once. A domain whose MX switch was never seen does not complete ("check DNS"), and while a
 * watched resolver still returns the old set the closing time is unknown. Every verdict names the term
 * that decided it in words an admin can check. Which MX switch that is depends on the plan's flow: legacy
 * -> appliance in relay-first, legacy -> new provider in switch-at-go-live (the moment no authoritative
 * server lists a legacy host any more).
 *
 *
 * <h2>Retiring the appliance (relay-first)</h2>
 * {@link io.mxcutover.appliance.window.ApplianceRetirement#evaluate}: once COMPLETED and, after the last
 * switch (appliance -> new provider), no authoritative server or watched resolver returns an appliance host
 * ({@link io.mxcutover.appliance.facts.HostsGone} from the DNS watcher) plus that record's TTL, the domain
 * view says "the appliance can be retired ... at"; anything unknown is "not yet" with the reason.
 *
 */
package io.mxcutover.appliance.window;
