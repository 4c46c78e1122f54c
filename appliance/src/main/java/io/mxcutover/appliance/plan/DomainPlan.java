package io.mxcutover.appliance.plan;

import java.util.List;

/**
 * What the plan says about one migrated domain.
 *
 * @param recipients the domain's known local parts; empty means "not listed" (no recipient check by list)
 * @param requireLegacySpfGone the DNS watcher reports the SPF record as wrong while it still has one of
 *                             {@code legacy.spf()} (set it once the legacy server sends no more mail)
 */
public record DomainPlan(String name, boolean includeSubdomains, boolean softBounce,
                         Side legacy, Side target, List<String> recipients, boolean requireLegacySpfGone) {
    public DomainPlan {
        recipients = List.copyOf(recipients);
    }

    /** A domain that does not ask for the legacy SPF mechanisms to be gone. */
    public DomainPlan(String name, boolean includeSubdomains, boolean softBounce,
                      Side legacy, Side target, List<String> recipients) {
        this(name, includeSubdomains, softBounce, legacy, target, recipients, false);
    }
}
