package io.mxcutover.dnscheck.propagation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a domain's MX should become ({@code expected}) and, when known, what it was
 * ({@code legacy}, empty when unknown: the watcher then records it from the first
 * observation). Sets are compared by host name only: the priorities decide the order in
 * which senders try the hosts, not whether mail reaches the new provider.
 */
public record ExpectedMx(String domain, List<MxHost> expected, List<MxHost> legacy) {

    public ExpectedMx {
        domain = MxHost.normalizeHost(Objects.requireNonNull(domain, "domain"));
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("domain must not be empty");
        }
        expected = List.copyOf(Objects.requireNonNull(expected, "expected"));
        legacy = List.copyOf(Objects.requireNonNull(legacy, "legacy"));
        if (expected.isEmpty()) {
            throw new IllegalArgumentException("expected MX set for " + domain + " must not be empty");
        }
        if (hosts(expected).equals(hosts(legacy))) {
            throw new IllegalArgumentException("expected and legacy MX sets for " + domain + " are the same");
        }
    }

    /**
     * Expected hosts in the given order; priorities 10, 20, 30... unless a host is written
     * as {@code "5 mx1.new.example"}.
     */
    public static ExpectedMx of(String domain, List<String> expectedHosts) {
        return new ExpectedMx(domain, withDefaultPriorities(expectedHosts), List.of());
    }

    public static List<MxHost> withDefaultPriorities(List<String> hosts) {
        java.util.ArrayList<MxHost> result = new java.util.ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i).trim();
            result.add(h.contains(" ") ? MxHost.of(h) : new MxHost(10 * (i + 1), h));
        }
        return result;
    }

    public ExpectedMx withLegacy(List<MxHost> legacyHosts) {
        return new ExpectedMx(domain, expected, legacyHosts);
    }

    public Set<String> expectedHosts() {
        return hosts(expected);
    }

    public Set<String> legacyHosts() {
        return hosts(legacy);
    }

    public boolean legacyKnown() {
        return !legacy.isEmpty();
    }

    static Set<String> hosts(List<MxHost> mx) {
        return mx.stream().map(MxHost::host).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
