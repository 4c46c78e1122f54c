package io.mxcutover.dnscheck.timeline;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.MxHost;
import io.mxcutover.dnscheck.propagation.MxView;
import io.mxcutover.dnscheck.propagation.Propagation;
import io.mxcutover.dnscheck.propagation.PropagationReport;
import io.mxcutover.dnscheck.propagation.Verdict;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Timeline} folded one poll at a time: everything the switch time, the expected end
 * and the legacy set need from the polls seen so far, in a few fields. A watcher keeps (and
 * stores) this next to the history, so that a poll costs the same after months of polls as
 * after the first one. Pure; polls must be added oldest first.
 *
 * <p>Only the expected host set matters for the fold: whether a non-new answer is the known
 * legacy set (OLD) or something else (OTHER) changes neither the switch time, nor the old TTL,
 * nor a poll's verdict. A summary is therefore valid for every {@link ExpectedMx} with the same
 * {@link #expectedHosts()}; when the plan changes the expected set, fold the history again.
 *
 * @param polls            polls folded in
 * @param lastPollAt       the latest poll folded in (a later {@link #add} must not be older)
 * @param observedLegacy   the legacy set as first observed (see {@link Timeline#legacyFromHistory})
 * @param switchStart      first poll of the current run with every authoritative server on the new set
 * @param propagatedStart  first poll of the current run of PROPAGATED polls
 * @param oldTtl           largest TTL of an old (non-new) MX answer seen on any server, -1 if none
 * @param negativeTtl      largest negative TTL of an absent MX seen on any server, -1 if none
 * @param newTtl           largest TTL of the new set seen on an authoritative server
 * @param lastOldExpiry    latest moment a resolver's observed remaining TTL for an old answer runs out
 */
public record TimelineSummary(
        Set<String> expectedHosts,
        long polls,
        Optional<Instant> lastPollAt,
        Optional<List<MxHost>> observedLegacy,
        Optional<Instant> switchStart,
        Optional<Instant> propagatedStart,
        long oldTtl,
        long negativeTtl,
        long newTtl,
        Optional<Instant> lastOldExpiry) {

    public TimelineSummary {
        expectedHosts = Set.copyOf(Objects.requireNonNull(expectedHosts, "expectedHosts"));
        Objects.requireNonNull(lastPollAt, "lastPollAt");
        observedLegacy =
                Objects.requireNonNull(observedLegacy, "observedLegacy").map(List::copyOf);
        Objects.requireNonNull(switchStart, "switchStart");
        Objects.requireNonNull(propagatedStart, "propagatedStart");
        Objects.requireNonNull(lastOldExpiry, "lastOldExpiry");
        if (polls < 0 || oldTtl < -1 || negativeTtl < -1 || newTtl < 0) {
            throw new IllegalArgumentException("negative count or TTL in the timeline summary");
        }
    }

    /** Nothing seen yet. */
    public static TimelineSummary empty(ExpectedMx expected) {
        return new TimelineSummary(
                expected.expectedHosts(),
                0,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                -1,
                -1,
                0,
                Optional.empty());
    }

    /** The whole history folded (any order). */
    public static TimelineSummary of(ExpectedMx expected, List<Poll> history) {
        TimelineSummary summary = empty(expected);
        for (Poll poll : history.stream().sorted(Comparator.comparing(Poll::at)).toList()) {
            summary = summary.add(expected, poll);
        }
        return summary;
    }

    /** True when this summary was folded for the same expected host set. */
    public boolean fits(ExpectedMx expected) {
        return expectedHosts.equals(Set.copyOf(expected.expectedHosts()));
    }

    /** This summary with {@code poll} folded in; {@code poll} must not be older than {@link #lastPollAt()}. */
    public TimelineSummary add(ExpectedMx expected, Poll poll) {
        if (!fits(expected)) {
            throw new IllegalArgumentException("timeline summary of " + expected.domain() + " was made for "
                    + expectedHosts + ", not " + expected.expectedHosts());
        }
        if (lastPollAt.isPresent() && poll.at().isBefore(lastPollAt.get())) {
            throw new IllegalArgumentException("poll of " + poll.domain() + " at " + poll.at()
                    + " is older than the last one folded in (" + lastPollAt.get() + ")");
        }
        Optional<List<MxHost>> legacy = observedLegacy.isPresent() ? observedLegacy : legacyOf(expected, poll);
        Optional<Instant> switched = nextSwitchStart(expected, poll);
        PropagationReport report = Propagation.evaluate(expected, poll.observations());
        Verdict verdict = report.verdict();
        // A poll where every answering resolver showed the new set but some failed is unknown, like ERROR:
        // it neither confirms the run nor breaks it.
        boolean unknown = verdict == Verdict.ERROR
                || (verdict == Verdict.PROPAGATING && report.resolversOnNew() == report.resolversAnswering());
        Optional<Instant> propagated = verdict == Verdict.PROPAGATED
                ? propagatedStart.or(() -> Optional.of(poll.at()))
                : unknown ? propagatedStart : Optional.empty();

        long old = oldTtl;
        long negative = negativeTtl;
        long fresh = newTtl;
        Instant expiry = lastOldExpiry.orElse(null);
        for (Observation o : poll.observations()) {
            MxView view = MxView.of(expected, o.server(), o.mx());
            LookupOutcome outcome = o.mx().outcome();
            long ttl;
            if (view == MxView.NEW) {
                if (o.server().authoritative()) {
                    fresh = Math.max(fresh, ((LookupOutcome.NoError) outcome).ttl());
                }
                continue;
            } else if (outcome instanceof LookupOutcome.NoError ne && (view == MxView.OLD || view == MxView.OTHER)) {
                ttl = ne.ttl();
                old = Math.max(old, ttl);
            } else if (view == MxView.ABSENT) {
                ttl = outcome instanceof LookupOutcome.NoData nd
                        ? nd.negativeTtl()
                        : ((LookupOutcome.NxDomain) outcome).negativeTtl();
                negative = Math.max(negative, ttl);
            } else {
                continue;
            }
            if (!o.server().authoritative()) {
                Instant until = poll.at().plusSeconds(ttl);
                if (expiry == null || until.isAfter(expiry)) {
                    expiry = until;
                }
            }
        }
        return new TimelineSummary(
                expectedHosts,
                polls + 1,
                Optional.of(poll.at()),
                legacy,
                switched,
                propagated,
                old,
                negative,
                fresh,
                Optional.ofNullable(expiry));
    }

    /** The switch time, expected end and propagation time of the polls folded in. */
    public Timeline timeline() {
        return new Timeline(switchStart, switchStart.map(this::expectedEnd), propagatedStart);
    }

    /**
     * Switch time + the largest TTL of the old MX record seen on any server (or the largest
     * negative TTL when only NODATA/NXDOMAIN was seen), and never earlier than the moment a
     * resolver's observed remaining TTL for the old answer runs out.
     */
    private ExpectedEnd expectedEnd(Instant switchTime) {
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
        Instant end = lastOldExpiry.filter(e -> e.isAfter(byTtl)).orElse(byTtl);
        return new ExpectedEnd(end, basis, ttl);
    }

    /**
     * A poll where an authoritative server shows another set (rollback, half-done change)
     * ends the run; a poll where one failed neither confirms nor refutes the switch.
     */
    private Optional<Instant> nextSwitchStart(ExpectedMx expected, Poll poll) {
        List<MxView> views = poll.observations().stream()
                .filter(o -> o.server().authoritative())
                .map(o -> MxView.of(expected, o.server(), o.mx()))
                .toList();
        boolean contradicted = views.stream().anyMatch(v -> v == MxView.OLD || v == MxView.OTHER || v == MxView.ABSENT);
        boolean allNew = !views.isEmpty() && views.stream().allMatch(v -> v == MxView.NEW);
        if (contradicted) {
            return Optional.empty();
        }
        if (allNew && switchStart.isEmpty()) {
            return Optional.of(poll.at());
        }
        return switchStart;
    }

    /** The poll's MX when every authoritative server answered (AA) the same non-empty set that is not the new one. */
    private static Optional<List<MxHost>> legacyOf(ExpectedMx expected, Poll poll) {
        List<Observation> authoritative = poll.observations().stream()
                .filter(o -> o.server().authoritative())
                .toList();
        if (authoritative.isEmpty()) {
            return Optional.empty();
        }
        Set<Set<String>> sets = new HashSet<>();
        List<MxHost> first = null;
        for (Observation o : authoritative) {
            if (!(o.mx().outcome() instanceof LookupOutcome.NoError ne) || !o.mx().authoritativeAnswer()) {
                return Optional.empty();
            }
            sets.add(new LinkedHashSet<>(Propagation.mxHosts(ne)));
            if (first == null) {
                first = ne.answers().stream().map(MxHost::of).toList();
            }
        }
        if (sets.size() == 1 && !sets.iterator().next().equals(expected.expectedHosts())) {
            return Optional.of(first);
        }
        return Optional.empty();
    }
}
