package io.mxcutover.dnscheck.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mxcutover.dnscheck.plan.DnsPlan;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.probe.DnsProbe;
import io.mxcutover.dnscheck.probe.DnssecCheck;
import io.mxcutover.dnscheck.probe.DnssecStatus;
import io.mxcutover.dnscheck.probe.MxPreflight;
import io.mxcutover.dnscheck.probe.PreflightResult;
import io.mxcutover.dnscheck.probe.PublicResolvers;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.watch.DnsWatcher;
import io.mxcutover.dnscheck.watch.MemoryPollStore;
import io.mxcutover.dnscheck.watch.WatchSchedule;
import io.mxcutover.dnscheck.watch.WatchedDomain;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mxcutover dnscheck}: one poll, printed; returns the exit code (see package doc).
 */
public final class DnsCheckCli {

    public static final int USAGE_ERROR = 2;

    /** TTL in the printed plan: short while moving, so that a mistake is undone in minutes. */
    static final long PLAN_TTL = 300;

    private final Clock clock;

    public DnsCheckCli(Clock clock) {
        this.clock = clock;
    }

    public int run(DnsCheckOptions options, PrintStream out) {
        List<NameServer> resolvers = options.resolvers().isEmpty() ? PublicResolvers.DEFAULT : options.resolvers();
        DnsProbe.Settings settings =
                DnsProbe.Settings.DEFAULT.withQueryTimeout(options.timeout()).withEdns(options.edns());
        try (DnsProbe probe = new DnsProbe(settings);
                DnsWatcher watcher = new DnsWatcher(probe, new MemoryPollStore(), clock, WatchSchedule.DEFAULT)) {
            WatchedDomain domain = new WatchedDomain(
                    options.expected(), options.spf(), options.authoritative(), resolvers, options.authoritativePort());
            watcher.watch(domain);
            DnsReport report = watcher.pollNow(domain.domain())
                    .orElseThrow(() ->
                            new IllegalStateException("the DNS poll of " + domain.domain() + " failed; see the log"));
            List<PreflightResult> preflight = options.preflightPort().isPresent()
                    ? new MxPreflight(probe, options.timeout())
                            .check(
                                    options.expected().expected(),
                                    resolvers.get(0),
                                    options.preflightPort().getAsInt())
                    : List.of();
            Optional<DnssecStatus> dnssec = options.dnssec()
                    ? Optional.of(new DnssecCheck(options.timeout())
                            .check(domain.domain(), resolvers.get(0), options.trustAnchors()))
                    : Optional.empty();
            Optional<String> plan = options.plan() ? Optional.of(plan(options, report)) : Optional.empty();
            out.print(options.json() ? json(report, preflight, dnssec, plan) : text(report, preflight, dnssec, plan));
            out.flush();
            return report.verdict().exitCode();
        }
    }

    /** The records to publish: expected MX, and SPF rewritten from what the authoritative servers serve. */
    static String plan(DnsCheckOptions options, DnsReport report) {
        return DnsPlan.render(options.expected(), options.spf(), Optional.of(report.spf()), PLAN_TTL);
    }

    private static String text(
            DnsReport report, List<PreflightResult> preflight, Optional<DnssecStatus> dnssec, Optional<String> plan) {
        StringBuilder out = new StringBuilder(ReportText.render(report));
        if (!preflight.isEmpty()) {
            out.append("\nPreflight of the new MX hosts:\n");
            for (PreflightResult r : preflight) {
                out.append("  ")
                        .append(r.host())
                        .append(": ")
                        .append(r.status())
                        .append(" - ")
                        .append(r.detail())
                        .append('\n');
            }
        }
        dnssec.ifPresent(d -> out.append("\nDNSSEC:        ")
                .append(d.status())
                .append(" - ")
                .append(d.detail())
                .append(" (reported, not required)\n"));
        plan.ifPresent(p -> out.append('\n').append(p));
        return out.toString();
    }

    static String json(
            DnsReport report, List<PreflightResult> preflight, Optional<DnssecStatus> dnssec, Optional<String> plan) {
        Map<String, Object> m = new LinkedHashMap<>(ReportView.of(report));
        List<Map<String, Object>> pre = new ArrayList<>();
        preflight.forEach(r -> pre.add(ReportView.preflight(r)));
        if (!pre.isEmpty()) {
            m.put("preflight", pre);
        }
        dnssec.ifPresent(d -> m.put("dnssec", ReportView.dnssec(d)));
        plan.ifPresent(p -> m.put("plan", p));
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }
}
