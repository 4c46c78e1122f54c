package io.mxcutover.dnscheck.cli;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.ServerStatus;
import io.mxcutover.dnscheck.timeline.ExpectedEnd;
import java.util.ArrayList;
import java.util.List;

/** The human-readable report: a table per server, then verdict, switch time, expected end, SPF. */
public final class ReportText {

    private ReportText() {}

    public static String render(DnsReport report) {
        StringBuilder out = new StringBuilder();
        out.append("MX of ")
                .append(report.propagation().domain())
                .append(", polled ")
                .append(report.polledAt())
                .append("\n\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ROLE", "SERVER", "MX", "TTL", "OUTCOME", "AA", "TCP", "MS", "VIEW", "TXT/SPF"});
        for (ServerStatus s : report.propagation().servers()) {
            ServerReply mx = s.observation().mx();
            rows.add(new String[] {
                s.server().authoritative() ? "authoritative" : "resolver",
                s.server().label().equals(s.server().address())
                        ? s.server().label()
                        : s.server().label() + " (" + s.server().address() + ")",
                answers(mx.outcome()),
                ttl(mx.outcome()),
                mx.outcome().code(),
                mx.authoritativeAnswer() ? "yes" : "no",
                mx.retriedOverTcp() ? "yes" : "no",
                Long.toString(mx.latency().toMillis()),
                s.view().name(),
                txt(s.observation().txt().outcome())
            });
        }
        out.append(table(rows)).append('\n');
        var p = report.propagation();
        out.append("Verdict:       ").append(p.verdict());
        if (p.resolversAnswering() > 0) {
            out.append(" (")
                    .append(p.resolversOnNew())
                    .append(" of ")
                    .append(p.resolversAnswering())
                    .append(" resolvers on the new MX)");
        }
        out.append('\n');
        out.append("Why:           ").append(p.reason()).append('\n');
        out.append("Switch time:   ")
                .append(report.timeline()
                        .switchTime()
                        .map(t -> t + " (first poll with every authoritative server on the new MX)")
                        .orElse("not yet"))
                .append('\n');
        out.append("Expected end:  ")
                .append(report.timeline().expectedEnd().map(ReportText::end).orElse("unknown until the switch is seen"))
                .append('\n');
        out.append("SPF:           ")
                .append(report.spf().status())
                .append(report.spf().record().map(r -> " \"" + r + "\"").orElse(""));
        if (!report.spf().missing().isEmpty()) {
            out.append(" missing ").append(String.join(", ", report.spf().missing()));
        }
        if (!report.spf().stillPresent().isEmpty()) {
            out.append(" still has ").append(String.join(", ", report.spf().stillPresent()));
        }
        out.append('\n');
        out.append("Exit code:     ").append(p.verdict().exitCode()).append('\n');
        return out.toString();
    }

    private static String end(ExpectedEnd end) {
        String why = switch (end.basis()) {
            case OLD_RECORD_TTL -> "largest TTL of the old MX seen";
            case NEGATIVE_TTL -> "negative-caching TTL from the SOA: the domain had no MX before";
            case ASSUMED_FROM_NEW_TTL -> "old MX never seen; the new record's TTL is assumed";
        };
        return end.at() + " (switch time + " + end.ttlSeconds() + " s, " + why + ")";
    }

    private static String answers(LookupOutcome o) {
        return o instanceof LookupOutcome.NoError ne ? String.join(", ", ne.answers()) : "-";
    }

    private static String ttl(LookupOutcome o) {
        Long ttl = ReportView.ttl(o);
        return ttl == null ? "-" : ttl.toString();
    }

    private static String txt(LookupOutcome o) {
        if (o instanceof LookupOutcome.NoError ne) {
            return ne.answers().stream()
                    .filter(io.mxcutover.dnscheck.spf.SpfCheck::isSpf)
                    .findFirst()
                    .orElse("(no SPF)");
        }
        return o.code();
    }

    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] widths = new int[cols];
        for (String[] row : rows) {
            for (int i = 0; i < cols; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(row[i]);
                if (i < cols - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
