/**
 * The DNS watcher inside the appliance: watches the MX of every domain of the migration plan
 * (expected set = the one whose switch anchors the catch-up window: {@code appliance.mx} in a
 * relay-first move, {@code new.mx} in switch-at-go-live; legacy set = {@code legacy.mx} or the first
 * one observed), stores every poll in the appliance's store
 * ({@code dnscheck_poll}/{@code dnscheck_answer}), and serves
 * {@code GET /api/v1/domains/{domain}/dns} (operator role): the current report (verdict,
 * switch time, expected end, per-server answers) and the poll history, newest first.
 *
 * <p>{@code cli.DnsCheckCommand} is {@code ./mxcutover dnscheck}: a
 * one-shot check without configuration file, exit code per verdict (see
 * {@code docs/reference/dnscheck.md}).
 *
 * <p>What the cutover reads ({@link io.mxcutover.appliance.cutover.DnsSource}) is built from facts only:
 * a latest poll older than the stale limit is UNKNOWN and its "resolvers converged" withheld
 * ({@code DnsFactsMapping}); {@link io.mxcutover.appliance.dns.DnsWatch#hostsGone} says when the
 * appliance's own MX hosts have left every server's answer (relay-first retirement).
 *
 * <p>Plan edits are picked up at the next tick: new domains are watched, removed ones dropped
 * (their history stays in the store).
 */
package io.mxcutover.appliance.dns;
