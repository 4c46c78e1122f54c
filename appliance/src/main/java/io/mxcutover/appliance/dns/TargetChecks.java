package io.mxcutover.appliance.dns;

import io.mxcutover.dnscheck.cli.ReportView;
import io.mxcutover.dnscheck.probe.DnssecStatus;
import io.mxcutover.dnscheck.probe.PreflightResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest DNSSEC status of a watched domain's zone and the preflight of each expected MX host
 * (resolves, greets with 220), as the watcher last ran them at {@code checkedAt}. {@code mxTargetsError}
 * is set when the preflight could not run at all: the hosts are then unknown, never passed.
 */
record TargetChecks(
        Instant checkedAt, DnssecStatus dnssec, List<PreflightResult> mxTargets, Optional<String> mxTargetsError) {

    static final String UNKNOWN = "UNKNOWN";

    TargetChecks {
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(dnssec, "dnssec");
        mxTargets = List.copyOf(mxTargets);
        Objects.requireNonNull(mxTargetsError, "mxTargetsError");
    }

    /**
     * The {@code checks} object of {@code GET /api/v1/domains/{d}/dns}: {@code checkedAt} (null before the
     * first run), {@code dnssec} {status, detail} and {@code mxTargets}, one {host, status, addresses, detail}
     * per expected host. Before the first run, or when a check could not run, the status is UNKNOWN and the
     * detail says why.
     */
    static Map<String, Object> view(Optional<TargetChecks> checks, List<String> expectedHosts) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (checks.isEmpty()) {
            String why = "not checked yet: the watcher runs the DNSSEC and MX-target checks after the first poll";
            m.put("checkedAt", null);
            m.put("dnssec", ReportView.dnssec(new DnssecStatus(DnssecStatus.Status.UNKNOWN, why)));
            m.put("mxTargets", unknown(expectedHosts, why));
            return m;
        }
        TargetChecks c = checks.get();
        m.put("checkedAt", c.checkedAt().toString());
        m.put("dnssec", ReportView.dnssec(c.dnssec()));
        m.put(
                "mxTargets",
                c.mxTargetsError().isPresent()
                        ? unknown(
                                expectedHosts,
                                "the MX-target check could not run: "
                                        + c.mxTargetsError().get())
                        : c.mxTargets().stream().map(ReportView::preflight).toList());
        return m;
    }

    private static List<Map<String, Object>> unknown(List<String> hosts, String why) {
        return hosts.stream()
                .map(h -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("host", h);
                    m.put("status", UNKNOWN);
                    m.put("addresses", List.of());
                    m.put("detail", why);
                    return m;
                })
                .toList();
    }
}
