package io.mxcutover.appliance.dns;

import io.mxcutover.appliance.cutover.DnsFacts;
import io.mxcutover.appliance.cutover.DnsVerdict;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.MxView;
import java.time.Duration;
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

    static DnsFacts of(DnsReport report) {
        DnsVerdict verdict = switch (report.verdict()) {
            case PROPAGATED -> DnsVerdict.SWITCHED;
            case PUBLISHED, PROPAGATING -> DnsVerdict.PROPAGATING;
            case NOT_SWITCHED -> report.propagation().servers().stream()
                    .anyMatch(s -> s.server().authoritative() && s.view() == MxView.OTHER)
                    ? DnsVerdict.UNEXPECTED : DnsVerdict.NOT_SWITCHED;
            case INCONSISTENT -> DnsVerdict.UNEXPECTED;
            case ERROR -> DnsVerdict.UNKNOWN;
        };
        return new DnsFacts(verdict, report.timeline().switchTime(), report.timeline().propagatedAt(),
                Duration.ofSeconds(report.timeline().expectedEnd().map(e -> e.ttlSeconds()).orElse(0L)),
                report.verdict() + ": " + report.propagation().reason());
    }
}
