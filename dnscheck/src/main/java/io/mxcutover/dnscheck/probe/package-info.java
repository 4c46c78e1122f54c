/**
 * The only part of dnscheck that talks to the network: asks name servers, one by one, for a
 * domain's MX and TXT, finds a zone's authoritative servers, checks that the new MX hosts
 * answer SMTP, and asks a validating resolver whether the zone's DNSSEC chain holds.
 *
 * <h2>How a query is sent ({@link io.mxcutover.dnscheck.probe.DnsProbe})</h2>
 * <ul>
 *   <li>Each server is asked directly with dnsjava's {@code SimpleResolver}: no
 *       {@code ExtendedResolver} (it fails over on exceptions only and would hide a SERVFAIL
 *       or REFUSED), no {@code Lookup}/{@code LookupSession} (process-wide caches: a cached
 *       answer is a wrong answer here). Nothing in this package caches.</li>
 *   <li>Authoritative servers are asked with RD cleared and their answers must carry AA;
 *       resolvers are asked with RD set, and the TTL they return is what is left of their
 *       cache.</li>
 *   <li>UDP first; a truncated (TC) answer is asked again over TCP by us (not silently by
 *       dnsjava), so the report can say it happened.</li>
 *   <li>Every query runs on the probe's own executor with its own timeout; at most
 *       {@code maxInFlight} queries are outstanding, so a poll of thousands of domains does
 *       not run out of sockets.</li>
 * </ul>
 *
 * <h2>Outcomes</h2>
 * NOERROR with records of the asked type; NOERROR without them (NODATA) and NXDOMAIN, both
 * with the negative TTL min(SOA TTL, SOA MINIMUM) from the authority section (RFC 2308
 * §5); SERVFAIL; REFUSED; timeout; network error (port unreachable, malformed reply,
 * unexpected rcode).
 *
 * <h2>Logs</h2>
 * Nothing per query (a poll is thousands of queries); the watcher logs verdict changes.
 */
package io.mxcutover.dnscheck.probe;
