package io.mxcutover.relay.route;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Immutable snapshot of all migrated domains, keyed by lower-case domain name. */
public record RoutingTable(Map<String, DomainRoute> domains) {

    public static final RoutingTable EMPTY = new RoutingTable(Map.of());

    public RoutingTable {
        Map<String, DomainRoute> copy = new LinkedHashMap<>();
        domains.forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            if (!key.equals(v.domain())) {
                throw new IllegalArgumentException(
                        "routing table key " + k + " differs from route domain " + v.domain());
            }
            copy.put(key, v);
        });
        domains = Map.copyOf(copy);
    }

    public static RoutingTable of(DomainRoute... routes) {
        return of(java.util.List.of(routes));
    }

    public static RoutingTable of(Collection<DomainRoute> routes) {
        Map<String, DomainRoute> map = new LinkedHashMap<>();
        for (DomainRoute r : routes) {
            if (map.put(r.domain(), r) != null) {
                throw new IllegalArgumentException("domain listed twice in routing table: " + r.domain());
            }
        }
        return new RoutingTable(map);
    }

    /**
     * The route for a recipient domain: exact match first, then the closest parent domain that
     * includes its subdomains.
     */
    public Optional<DomainRoute> lookup(String recipientDomain) {
        String d = recipientDomain.toLowerCase(Locale.ROOT);
        DomainRoute exact = domains.get(d);
        if (exact != null) {
            return Optional.of(exact);
        }
        int dot = d.indexOf('.');
        while (dot >= 0 && dot + 1 < d.length()) {
            DomainRoute parent = domains.get(d.substring(dot + 1));
            if (parent != null && parent.includeSubdomains()) {
                return Optional.of(parent);
            }
            dot = d.indexOf('.', dot + 1);
        }
        return Optional.empty();
    }
}
