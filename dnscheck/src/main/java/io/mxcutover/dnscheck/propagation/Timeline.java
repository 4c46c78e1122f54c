package io.mxcutover.dnscheck.propagation;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The MX switch time and the expected end of propagation, from the poll history. Pure; the
 * polls may come in any order.
 */
public record Timeline(Optional<Instant> switchTime, Optional<ExpectedEnd> expectedEnd,
                       Optional<Instant> propagatedAt) {

    public static Timeline of(ExpectedMx expected, List<Poll> history) {
        Optional<Instant> switchTime = switchTime(expected, history);
        return new Timeline(switchTime, switchTime.map(s -> expectedEnd(expected, history, s)),
                propagatedAt(expected, history));
    }

    /**
     * The first poll of the current run of PROPAGATED polls: when every watched resolver
     * returned the new set (the catch-up window's "resolvers converged"). Any other verdict
     * except ERROR ends the run; an ERROR poll (a server failing) neither confirms nor breaks it.
     */
    public static Optional<Instant> propagatedAt(ExpectedMx expected, List<Poll> history) {
        Instant start = null;
        for (Poll poll : sorted(history)) {
            Verdict verdict = Propagation.evaluate(expected, poll.observations()).verdict();
            if (verdict == Verdict.PROPAGATED) {
                if (start == null) {
                    start = poll.at();
                }
            } else if (verdict != Verdict.ERROR) {
                start = null;
            }
        }
        return Optional.ofNullable(start);
    }

    /**
     * The first poll of the latest run in which every authoritative server showed the new
     * set. A poll where an authoritative server shows another set (rollback, half-done
     * change) ends the run; a poll where one failed is ignored: it neither confirms nor
     * refutes the switch.
     */
    public static Optional<Instant> switchTime(ExpectedMx expected, List<Poll> history) {
        Instant start = null;
        for (Poll poll : sorted(history)) {
            List<MxView> views = poll.observations().stream()
                    .filter(o -> o.server().authoritative())
                    .map(o -> MxView.of(expected, o.server(), o.mx()))
                    .toList();
            boolean contradicted = views.stream().anyMatch(v -> v == MxView.OLD || v == MxView.OTHER
                    || v == MxView.ABSENT);
            boolean allNew = !views.isEmpty() && views.stream().allMatch(v -> v == MxView.NEW);
            if (contradicted) {
                start = null;
            } else if (allNew && start == null) {
                start = poll.at();
            }
        }
        return Optional.ofNullable(start);
    }

    /**
     * Switch time + the largest TTL of the old MX record seen on any server (or the largest
     * negative TTL when only NODATA/NXDOMAIN was seen), and never earlier than the moment a
     * resolver's observed remaining TTL for the old answer runs out (a resolver with a
     * {@code cache-min-ttl} can hold longer than the zone said).
     */
    static ExpectedEnd expectedEnd(ExpectedMx expected, List<Poll> history, Instant switchTime) {
        long oldTtl = -1;
        long negativeTtl = -1;
        Instant lastExpiry = switchTime;
        long newTtl = 0;
        for (Poll poll : history) {
            for (Observation o : poll.observations()) {
                MxView view = MxView.of(expected, o.server(), o.mx());
                LookupOutcome outcome = o.mx().outcome();
                long ttl;
                if (view == MxView.NEW) {
                    if (o.server().authoritative()) {
                        newTtl = Math.max(newTtl, ((LookupOutcome.NoError) outcome).ttl());
                    }
                    continue;
                } else if (outcome instanceof LookupOutcome.NoError ne && (view == MxView.OLD || view == MxView.OTHER)) {
                    ttl = ne.ttl();
                    oldTtl = Math.max(oldTtl, ttl);
                } else if (view == MxView.ABSENT) {
                    ttl = negativeTtl(outcome);
                    negativeTtl = Math.max(negativeTtl, ttl);
                } else {
                    continue;
                }
                if (!o.server().authoritative()) {
                    Instant expiry = poll.at().plusSeconds(ttl);
                    if (expiry.isAfter(lastExpiry)) {
                        lastExpiry = expiry;
                    }
                }
            }
        }
        ExpectedEnd.Basis basis;
        long ttl;
        if (oldTtl >= 0) {
            basis = ExpectedEnd.Basis.OLD_RECORD_TTL;
            ttl = Math.max(oldTtl, negativeTtl);
        } else if (negativeTtl >= 0) {
            basis = ExpectedEnd.Basis.NEGATIVE_TTL;
            ttl = negativeTtl;
        } else {
            basis = ExpectedEnd.Basis.ASSUMED_FROM_NEW_TTL;
            ttl = newTtl;
        }
        Instant byTtl = switchTime.plusSeconds(ttl);
        return new ExpectedEnd(byTtl.isAfter(lastExpiry) ? byTtl : lastExpiry, basis, ttl);
    }

    /**
     * The legacy MX set as first observed: the first poll in which every authoritative
     * server answered the same non-empty set that is not the expected one.
     */
    public static java.util.Optional<List<MxHost>> legacyFromHistory(ExpectedMx expected, List<Poll> history) {
        for (Poll poll : sorted(history)) {
            List<Observation> authoritative = poll.observations().stream()
                    .filter(o -> o.server().authoritative()).toList();
            if (authoritative.isEmpty()) {
                continue;
            }
            java.util.Set<java.util.Set<String>> sets = new java.util.HashSet<>();
            List<MxHost> first = null;
            for (Observation o : authoritative) {
                if (!(o.mx().outcome() instanceof LookupOutcome.NoError ne) || !o.mx().authoritativeAnswer()) {
                    sets.add(null);
                    break;
                }
                sets.add(Propagation.mxHosts(ne));
                if (first == null) {
                    first = ne.answers().stream().map(MxHost::of).toList();
                }
            }
            if (sets.size() == 1 && !sets.contains(null) && !sets.iterator().next().equals(expected.expectedHosts())) {
                return java.util.Optional.of(first);
            }
        }
        return java.util.Optional.empty();
    }

    private static long negativeTtl(LookupOutcome outcome) {
        if (outcome instanceof LookupOutcome.NoData nd) {
            return nd.negativeTtl();
        }
        return ((LookupOutcome.NxDomain) outcome).negativeTtl();
    }

    private static List<Poll> sorted(List<Poll> history) {
        return history.stream().sorted(Comparator.comparing(Poll::at)).toList();
    }
}
