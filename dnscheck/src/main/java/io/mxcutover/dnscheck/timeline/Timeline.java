package io.mxcutover.dnscheck.timeline;

import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.MxHost;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The MX switch time, the expected end of propagation and when every resolver converged,
 * from the poll history. Pure; the polls may come in any order. Computed by folding the polls
 * into a {@link TimelineSummary}, which a watcher keeps instead of re-reading the history.
 */
public record Timeline(
        Optional<Instant> switchTime, Optional<ExpectedEnd> expectedEnd, Optional<Instant> propagatedAt) {

    public static Timeline of(ExpectedMx expected, List<Poll> history) {
        return TimelineSummary.of(expected, history).timeline();
    }

    /**
     * The first poll of the current run of PROPAGATED polls: when every watched resolver
     * returned the new set (the catch-up window's "resolvers converged"). Any other verdict
     * except ERROR ends the run; an ERROR poll (a server failing) neither confirms nor breaks it.
     */
    public static Optional<Instant> propagatedAt(ExpectedMx expected, List<Poll> history) {
        return TimelineSummary.of(expected, history).propagatedStart();
    }

    /**
     * The first poll of the latest run in which every authoritative server showed the new
     * set. A poll where an authoritative server shows another set (rollback, half-done
     * change) ends the run; a poll where one failed is ignored: it neither confirms nor
     * refutes the switch.
     */
    public static Optional<Instant> switchTime(ExpectedMx expected, List<Poll> history) {
        return TimelineSummary.of(expected, history).switchStart();
    }

    /**
     * The legacy MX set as first observed: the first poll in which every authoritative
     * server answered (with AA) the same non-empty set that is not the expected one.
     */
    public static Optional<List<MxHost>> legacyFromHistory(ExpectedMx expected, List<Poll> history) {
        return TimelineSummary.of(expected, history).observedLegacy();
    }
}
