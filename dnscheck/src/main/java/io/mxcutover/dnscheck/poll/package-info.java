/**
 * What the name servers said, as values: no I/O.
 * <ul>
 *   <li>{@link io.mxcutover.dnscheck.poll.NameServer}: one server we ask, either an
 *       authoritative server of the zone (asked with RD cleared) or a recursive resolver
 *       (whose answers show what its cache holds).</li>
 *   <li>{@link io.mxcutover.dnscheck.poll.LookupOutcome}: NOERROR with answers and
 *       TTL, NODATA, NXDOMAIN (both with the negative-caching TTL of RFC 2308 §5),
 *       SERVFAIL, REFUSED, timeout, network error; {@link io.mxcutover.dnscheck.poll.ServerReply}
 *       adds the AA and TC flags.</li>
 *   <li>{@link io.mxcutover.dnscheck.poll.Observation}: one server's MX and TXT answers in one poll;
 *       {@link io.mxcutover.dnscheck.poll.Poll}: every server's answers at one instant; the history is a
 *       list of polls.</li>
 * </ul>
 */
package io.mxcutover.dnscheck.poll;
