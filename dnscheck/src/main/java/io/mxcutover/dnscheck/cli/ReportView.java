package io.mxcutover.dnscheck.cli;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.probe.DnssecStatus;
import io.mxcutover.dnscheck.probe.PreflightResult;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.ServerStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report as plain maps and lists (field order fixed), for JSON. Times are ISO-8601 UTC
 * strings; absent values are null.
 */
public final class ReportView {

    private ReportView() {}

    public static Map<String, Object> of(DnsReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domain", report.propagation().domain());
        m.put("verdict", report.verdict().name());
        m.put("exitCode", report.verdict().exitCode());
        m.put("reason", report.propagation().reason());
        m.put("resolversOnNew", report.propagation().resolversOnNew());
        m.put("resolversAnswering", report.propagation().resolversAnswering());
        m.put("polledAt", report.polledAt().toString());
        m.put("switchTime", report.timeline().switchTime().map(Object::toString).orElse(null));
        m.put(
                "expectedEnd",
                report.timeline().expectedEnd().map(e -> e.at().toString()).orElse(null));
        m.put(
                "expectedEndBasis",
                report.timeline().expectedEnd().map(e -> e.basis().name()).orElse(null));
        m.put(
                "expectedEndTtl",
                report.timeline().expectedEnd().map(e -> e.ttlSeconds()).orElse(null));
        m.put(
                "propagatedAt",
                report.timeline().propagatedAt().map(Object::toString).orElse(null));
        Map<String, Object> spf = new LinkedHashMap<>();
        spf.put("status", report.spf().status().name());
        spf.put("record", report.spf().record().orElse(null));
        spf.put("missing", report.spf().missing());
        spf.put("stillPresent", report.spf().stillPresent());
        m.put("spf", spf);
        List<Map<String, Object>> servers = new ArrayList<>();
        for (ServerStatus s : report.propagation().servers()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("server", s.server().label());
            row.put("address", s.server().address());
            row.put("role", s.server().role().name());
            row.put("view", s.view().name());
            row.put("mx", reply(s.observation().mx()));
            row.put("txt", reply(s.observation().txt()));
            servers.add(row);
        }
        m.put("servers", servers);
        return m;
    }

    public static Map<String, Object> reply(ServerReply reply) {
        Map<String, Object> m = new LinkedHashMap<>();
        LookupOutcome o = reply.outcome();
        m.put("outcome", o.code());
        m.put("answers", o instanceof LookupOutcome.NoError ne ? ne.answers() : List.of());
        m.put("ttl", ttl(o));
        m.put("detail", o instanceof LookupOutcome.NetworkError err ? err.detail() : null);
        m.put("authoritativeAnswer", reply.authoritativeAnswer());
        m.put("retriedOverTcp", reply.retriedOverTcp());
        m.put("latencyMs", reply.latency().toMillis());
        return m;
    }

    static Long ttl(LookupOutcome o) {
        if (o instanceof LookupOutcome.NoError ne) {
            return ne.ttl();
        }
        if (o instanceof LookupOutcome.NoData nd) {
            return nd.negativeTtl();
        }
        if (o instanceof LookupOutcome.NxDomain nx) {
            return nx.negativeTtl();
        }
        return null;
    }

    /** Polls, newest first, each with its servers' MX answers (for the REST history). */
    public static List<Map<String, Object>> history(List<Poll> polls) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (int i = polls.size() - 1; i >= 0; i--) {
            Poll p = polls.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("polledAt", p.at().toString());
            List<Map<String, Object>> servers = new ArrayList<>();
            p.observations().forEach(o -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("server", o.server().label());
                row.put("role", o.server().role().name());
                row.put("mx", reply(o.mx()));
                row.put("txt", reply(o.txt()));
                servers.add(row);
            });
            m.put("servers", servers);
            result.add(m);
        }
        return result;
    }

    public static Map<String, Object> preflight(PreflightResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", r.host());
        m.put("status", r.status().name());
        m.put("addresses", r.addresses());
        m.put("detail", r.detail());
        return m;
    }

    public static Map<String, Object> dnssec(DnssecStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", s.status().name());
        m.put("detail", s.detail());
        return m;
    }
}
