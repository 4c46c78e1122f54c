package io.mxcutover.appliance.dns;

import io.mxcutover.appliance.facts.DnsFacts;
import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.MxView;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the cutover needs from the DNS watcher, taken from a report: the verdict in the
 * cutover's words and the window facts (MX switch seen, resolvers converged, largest old TTL).
 */
final class DnsFactsMapping {
    private DnsFactsMapping() {}

    static DnsFacts of(Optional<DnsReport> report) {
        return report.map(DnsFactsMapping::of).orElse(DnsFacts.UNKNOWN);
    }

    /**
     * The facts of {@code report} as of {@code now}: a latest poll older than {@code staleAfter} is no
     * evidence of today's DNS (the watcher stopped polling, the store lags), so the verdict is UNKNOWN and
     * "resolvers converged" is withheld (the window cannot close on it); the MX switch seen, a past
     * positive fact, stays.
     */
    static DnsFacts of(Optional<DnsReport> report, Instant now, Duration staleAfter) {
        if (report.isEmpty()) {
            return DnsFacts.UNKNOWN;
        }
        DnsFacts facts = of(report.get());
        Instant polledAt = report.get().polledAt();
        if (!polledAt.plus(staleAfter).isBefore(now)) {
            return facts;
        }
        return new DnsFacts(
                DnsVerdict.UNKNOWN,
                facts.mxSwitchSeenAt(),
                Optional.empty(),
                facts.largestOldTtl(),
                "UNKNOWN: the last DNS poll of " + report.get().propagation().domain() + " was at " + polledAt
                        + ", more than " + staleAfter.toMinutes() + " min ago; the watcher is not polling (look for"
                        + " 'DNS watch round failed' in the log). Last verdict: " + facts.detail());
    }

    static DnsFacts of(DnsReport report) {
        DnsVerdict verdict = switch (report.verdict()) {
            case PROPAGATED -> DnsVerdict.SWITCHED;
            case PUBLISHED, PROPAGATING -> DnsVerdict.PROPAGATING;
            case NOT_SWITCHED ->
                report.propagation().servers().stream()
                                .anyMatch(s -> s.server().authoritative() && s.view() == MxView.OTHER)
                        ? DnsVerdict.UNEXPECTED
                        : DnsVerdict.NOT_SWITCHED;
            case INCONSISTENT -> DnsVerdict.UNEXPECTED;
            case ERROR -> DnsVerdict.UNKNOWN;
        };
        return new DnsFacts(
                verdict,
                report.timeline().switchTime(),
                report.timeline().propagatedAt(),
                Duration.ofSeconds(
                        report.timeline().expectedEnd().map(e -> e.ttlSeconds()).orElse(0L)),
                report.verdict() + ": " + report.propagation().reason());
    }
}
