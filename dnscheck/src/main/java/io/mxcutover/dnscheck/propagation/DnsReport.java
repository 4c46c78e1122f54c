package io.mxcutover.dnscheck.propagation;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.spf.SpfCheck;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import io.mxcutover.dnscheck.spf.SpfResult;
import io.mxcutover.dnscheck.timeline.Timeline;
import io.mxcutover.dnscheck.timeline.TimelineSummary;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Everything ops want to know about one domain: the latest poll's verdict, the timeline
 * from the whole history (folded into a {@link TimelineSummary}), and the SPF check of the
 * latest authoritative TXT answer.
 */
public record DnsReport(Instant polledAt, PropagationReport propagation, Timeline timeline, SpfResult spf) {

    public DnsReport {
        Objects.requireNonNull(polledAt, "polledAt");
        Objects.requireNonNull(propagation, "propagation");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(spf, "spf");
    }

    public Verdict verdict() {
        return propagation.verdict();
    }

    /** The report for the latest poll in {@code history} (which must not be empty). */
    public static DnsReport of(ExpectedMx expected, SpfExpectation spf, List<Poll> history) {
        Poll latest = history.stream()
                .max(Comparator.comparing(Poll::at))
                .orElseThrow(() -> new IllegalArgumentException("no poll yet for " + expected.domain()));
        return of(expected, spf, latest, TimelineSummary.of(expected, history));
    }

    /**
     * The report for {@code latest}, with the timeline from {@code summary} (the history up to
     * and including {@code latest}, folded): no history needed.
     */
    public static DnsReport of(ExpectedMx expected, SpfExpectation spf, Poll latest, TimelineSummary summary) {
        ExpectedMx withLegacy = expected.legacyKnown()
                ? expected
                : summary.observedLegacy().map(expected::withLegacy).orElse(expected);
        return new DnsReport(
                latest.at(),
                Propagation.evaluate(withLegacy, latest.observations()),
                summary.timeline(),
                spfOf(spf, latest));
    }

    /**
     * SPF as published: the first authoritative server that answered TXT with the AA flag. When none
     * did, UNKNOWN: a resolver's answer may be the old record from its cache, and a lame answer is not
     * the zone's, so neither is taken for what the domain publishes.
     */
    public static SpfResult spfOf(SpfExpectation spf, Poll poll) {
        return poll.observations().stream()
                .filter(o -> o.server().authoritative() && o.txt().authoritativeAnswer())
                .filter(o -> o.txt().outcome().answered())
                .findFirst()
                .map(o -> SpfCheck.evaluate(spf, o.txt().outcome()))
                .orElseGet(() -> SpfCheck.evaluate(spf, new LookupOutcome.ServFail()));
    }
}
