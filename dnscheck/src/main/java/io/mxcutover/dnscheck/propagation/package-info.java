/**
 * Decides how far an MX change has spread, from what the name servers answered. Pure
 * functions only: no sockets, no clock, no files; {@code dnscheck.probe} does the asking.
 *
 * <h2>Words</h2>
 * <ul>
 *   <li>{@link io.mxcutover.dnscheck.propagation.ExpectedMx}: the MX hosts a domain moves to
 *       (and, when known, the legacy hosts it leaves).</li>
 *   <li>{@link io.mxcutover.dnscheck.propagation.NameServer}: one server we ask, either an
 *       authoritative server of the zone (asked with RD cleared) or a recursive resolver
 *       (whose answers show what its cache holds).</li>
 *   <li>{@link io.mxcutover.dnscheck.propagation.LookupOutcome}: NOERROR with answers and
 *       TTL, NODATA, NXDOMAIN (both with the negative-caching TTL of RFC 2308 §5),
 *       SERVFAIL, REFUSED, timeout, network error.</li>
 *   <li>{@link io.mxcutover.dnscheck.propagation.Poll}: every server's answers at one
 *       instant; the history is a list of polls.</li>
 * </ul>
 *
 * <h2>Verdict ({@link io.mxcutover.dnscheck.propagation.Propagation#evaluate})</h2>
 * <pre>
 *   ERROR          no authoritative server answered, one of them failed or answered without
 *                  AA, every resolver failed, or every answering resolver shows the new set
 *                  but another one failed (unknown is not propagated)
 *   INCONSISTENT   the authoritative servers answer different MX sets
 *   NOT_SWITCHED   the authoritative servers agree on a set that is not the expected one
 *   PUBLISHED      the authoritative servers show the new set, no resolver does yet
 *   PROPAGATING    k of the n answering resolvers show the new set
 *   PROPAGATED     every watched resolver answers with the new set (or none is configured); a resolver
 *                  that timed out or failed makes it PROPAGATING at best (unknown is not propagated)
 * </pre>
 * A resolver that fails (SERVFAIL, REFUSED, timeout, malformed reply) is reported and left out
 * of n, but it never lets the verdict be PROPAGATED: its cache may still hold the old MX, so
 * the poll is ERROR (unknown) until it answers. No data is never read as "no problem".
 *
 * <h2>Timeline ({@link io.mxcutover.dnscheck.propagation.Timeline})</h2>
 * The MX switch time is the first poll of the current run of polls in which every
 * authoritative server showed the new set; a poll where one of them shows anything else
 * starts over (a rollback), a poll where one of them failed neither confirms nor breaks the
 * run. The expected end is when the last cache may still hold the old answer: switch time +
 * the largest TTL of the old MX record seen, or + the SOA negative TTL when the record did
 * not exist before (RFC 2308 §5), and never before a resolver's observed remaining TTL ran
 * out.
 *
 * <h2>Retiring MX hosts</h2>
 * {@link io.mxcutover.dnscheck.propagation.MxRetirement}: when a set of MX hosts (the appliance's, after
 * the last switch of a relay-first move) has left every server's answer, plus the TTL an answer listing
 * them had; only positive, recent answers count.
 *
 * <h2>SPF and the DNS plan</h2>
 * {@link io.mxcutover.dnscheck.propagation.SpfCheck} checks the TXT answer of the first authoritative
 * server that answered with AA (none: UNKNOWN; a resolver's cache is not what is published) against an
 * {@link io.mxcutover.dnscheck.propagation.SpfExpectation} (RFC 7208: exactly one
 * {@code v=spf1} record; strings of one TXT record are concatenated, §3.3).
 * {@link io.mxcutover.dnscheck.propagation.DnsPlan} prints the records to publish.
 */
package io.mxcutover.dnscheck.propagation;
