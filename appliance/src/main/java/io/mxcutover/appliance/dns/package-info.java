/**
 * The DNS watcher inside the appliance: watches the MX of every domain of the migration plan
 * whose {@code new.mx} is set (expected set = {@code new.mx}, legacy set = {@code legacy.mx} or
 * the first one observed), stores every poll in the appliance's store
 * ({@code dnscheck_poll}/{@code dnscheck_answer}), and serves
 * {@code GET /api/v1/domains/{domain}/dns} (operator role): the current report (verdict,
 * switch time, expected end, per-server answers) and the poll history, newest first.
 *
 * <p>{@link io.mxcutover.appliance.dns.DnsCheckCommand} is {@code ./mxcutover dnscheck}: a
 * one-shot check without configuration file, exit code per verdict (see
 * {@code docs/reference/dnscheck.md}).
 *
 * <p>Plan edits are picked up at the next tick: new domains are watched, removed ones dropped
 * (their history stays in the store).
 */
package io.mxcutover.appliance.dns;
