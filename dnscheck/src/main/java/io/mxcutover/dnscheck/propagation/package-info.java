/**
 * Decides how far an MX change has spread, from what the name servers answered (the polls of
 * {@code dnscheck.poll}). Pure functions only: no sockets, no clock, no files; {@code dnscheck.probe}
 * does the asking. {@link io.mxcutover.dnscheck.propagation.ExpectedMx}: the MX hosts a domain moves to
 * (and, when known, the legacy hosts it leaves).
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
 */
package io.mxcutover.dnscheck.propagation;
