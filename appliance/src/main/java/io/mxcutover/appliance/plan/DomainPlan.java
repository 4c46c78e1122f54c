package io.mxcutover.appliance.plan;

import java.util.List;

/**
 * What the plan says about one migrated domain.
 *
 * @param recipients the domain's known local parts; empty means "not listed" (no recipient check by list)
 */
public record DomainPlan(String name, boolean includeSubdomains, boolean softBounce,
                         Side legacy, Side target, List<String> recipients) {
    public DomainPlan {
        recipients = List.copyOf(recipients);
    }
}
