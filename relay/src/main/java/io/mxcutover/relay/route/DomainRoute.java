package io.mxcutover.relay.route;

import io.mxcutover.relay.smtp.AddressSyntax;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one migrated domain is routed right now.
 *
 * @param routeToNew   true once the domain's phase is CATCHING_UP or COMPLETED
 * @param recipients   the domain's known mailboxes (local parts or full addresses, any case);
 *                     empty = unknown, accept any local part (or ask the callout)
 * @param softBounce   turn permanent (5xx) replies from the target into deferrals plus an alert;
 *                     on by default while relaying to a legacy server being decommissioned
 */
public record DomainRoute(
        String domain,
        boolean includeSubdomains,
        boolean routeToNew,
        List<NextHop> legacyTargets,
        List<NextHop> newTargets,
        Optional<Set<String>> recipients,
        boolean softBounce) {

    public DomainRoute {
        Objects.requireNonNull(domain, "domain");
        domain = domain.strip().toLowerCase(Locale.ROOT);
        if (domain.isEmpty() || domain.startsWith(".") || domain.endsWith(".") || domain.contains("@")) {
            throw new IllegalArgumentException("invalid migrated domain name: '" + domain + "'");
        }
        legacyTargets = List.copyOf(legacyTargets);
        newTargets = List.copyOf(newTargets);
        String d = domain;
        recipients = Objects.requireNonNull(recipients, "recipients")
                .map(set -> set.stream().map(r -> canonicalLocal(r, d)).collect(Collectors.toUnmodifiableSet()));
    }

    /** Routes to legacy, recipients unknown, soft bounce on: the usual state at the start. */
    public static DomainRoute relaying(String domain, List<NextHop> legacy, List<NextHop> newTargets) {
        return new DomainRoute(domain, false, false, legacy, newTargets, Optional.empty(), true);
    }

    public DomainRoute withRouteToNew(boolean toNew) {
        return new DomainRoute(domain, includeSubdomains, toNew, legacyTargets, newTargets, recipients, softBounce);
    }

    public DomainRoute withRecipients(Set<String> known) {
        return new DomainRoute(
                domain, includeSubdomains, routeToNew, legacyTargets, newTargets, Optional.of(known), softBounce);
    }

    public DomainRoute withSoftBounce(boolean on) {
        return new DomainRoute(domain, includeSubdomains, routeToNew, legacyTargets, newTargets, recipients, on);
    }

    public DomainRoute withSubdomains(boolean on) {
        return new DomainRoute(domain, on, routeToNew, legacyTargets, newTargets, recipients, softBounce);
    }

    /** The targets of the current phase, in the order to try them. */
    public List<NextHop> currentTargets() {
        return routeToNew ? newTargets : legacyTargets;
    }

    /** Whether a local part (of an address in this domain or, if allowed, a subdomain) is known. */
    public boolean knowsRecipient(String localPart, String recipientDomain) {
        String local = AddressSyntax.asciiLowerCase(localPart);
        return recipients
                .map(set -> set.contains(local) || set.contains(local + "@" + recipientDomain))
                .orElse(true);
    }

    private static String canonicalLocal(String entry, String domain) {
        String e = AddressSyntax.asciiLowerCase(entry.strip());
        if (e.endsWith("@" + domain)) {
            return e.substring(0, e.length() - domain.length() - 1);
        }
        return e;
    }
}
