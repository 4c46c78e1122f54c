/**
 * What the cutover needs to know from the other parts, as interfaces they implement and the values
 * they return: {@link io.mxcutover.appliance.facts.MailboxProgressSource} (the sync: history copied,
 * verifications), {@link io.mxcutover.appliance.facts.RelayQueueSource} (the relay's queue for a
 * domain), {@link io.mxcutover.appliance.facts.DnsSource} (the DNS watcher's verdict, switch time and
 * {@link io.mxcutover.appliance.facts.HostsGone}), {@link io.mxcutover.appliance.facts.CredentialSource}
 * (the new-server logins the credential probe tries). The wiring packages ({@code appliance.sync},
 * {@code appliance.relay}, {@code appliance.dns}) install them in {@code cutover.CutoverSources}.
 *
 * <p>A source that has not reported says so ({@code known = false}, an empty optional): the readiness
 * check and the window read that as "unknown", which is red, never as "nothing to report".
 */
package io.mxcutover.appliance.facts;
