/**
 * A domain's MX change over time, folded from its polls: pure, no I/O.
 *
 * <h2>Timeline ({@link io.mxcutover.dnscheck.timeline.Timeline})</h2>
 * The MX switch time is the first poll of the current run of polls in which every
 * authoritative server showed the new set; a poll where one of them shows anything else
 * starts over (a rollback), a poll where one of them failed neither confirms nor breaks the
 * run. The expected end is when the last cache may still hold the old answer: switch time +
 * the largest TTL of the old MX record seen, or + the SOA negative TTL when the record did
 * not exist before (RFC 2308 §5), and never before a resolver's observed remaining TTL ran
 * out.
 *
 * {@link io.mxcutover.dnscheck.timeline.TimelineSummary} folds the history one poll at a time (what the
 * DNS watcher stores), {@link io.mxcutover.dnscheck.timeline.ExpectedEnd} says what the expected end rests on.
 *
 * <h2>Retiring MX hosts</h2>
 * {@link io.mxcutover.dnscheck.timeline.MxRetirement}: when a set of MX hosts (the appliance's, after
 * the last switch of a relay-first move) has left every server's answer, plus the TTL an answer listing
 * them had; only positive, recent answers count.
 *
 */
package io.mxcutover.dnscheck.timeline;
