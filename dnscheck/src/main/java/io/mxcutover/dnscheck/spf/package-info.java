/**
 * SPF after the move: {@link io.mxcutover.dnscheck.spf.SpfCheck} checks the TXT answer of the first
 * authoritative server that answered with AA (none: UNKNOWN; a resolver's cache is not what is published)
 * against an {@link io.mxcutover.dnscheck.spf.SpfExpectation} (RFC 7208: exactly one {@code v=spf1} record;
 * strings of one TXT record are concatenated, §3.3); {@link io.mxcutover.dnscheck.spf.SpfRecord} writes the
 * record to publish. Pure, no I/O.
 */
package io.mxcutover.dnscheck.spf;
