package io.mxcutover.appliance.plan;

import java.util.List;

/**
 * What the plan says about one migrated domain.
 *
 * @param recipients the domain's known local parts; empty means "not listed" (no recipient check by list)
 * @param requireLegacySpfGone the DNS watcher reports the SPF record as wrong while it still has one of
 *                             {@code legacy.spf()} (set it once the legacy server sends no more mail)
 * @param flow which MX switches the move makes ({@link MxFlow})
 * @param applianceMx the appliance's own MX host names ({@code appliance.mx}); set only in relay-first
 */
public record DomainPlan(
        String name,
        boolean includeSubdomains,
        boolean softBounce,
        Side legacy,
        Side target,
        List<String> recipients,
        boolean requireLegacySpfGone,
        MxFlow flow,
        List<String> applianceMx) {
    public DomainPlan {
        recipients = List.copyOf(recipients);
        flow = flow == null ? MxFlow.SWITCH_AT_GO_LIVE : flow;
        applianceMx = List.copyOf(applianceMx);
    }

    /** A domain that switches its MX to the new provider at go-live ({@code flow: switch-at-go-live}). */
    public DomainPlan(
            String name,
            boolean includeSubdomains,
            boolean softBounce,
            Side legacy,
            Side target,
            List<String> recipients,
            boolean requireLegacySpfGone) {
        this(
                name,
                includeSubdomains,
                softBounce,
                legacy,
                target,
                recipients,
                requireLegacySpfGone,
                MxFlow.SWITCH_AT_GO_LIVE,
                List.of());
    }

    /**
     * The MX set whose switch anchors the catch-up window: the appliance's hosts in {@code relay-first}
     * (legacy -> appliance), the new provider's in {@code switch-at-go-live} (legacy -> new).
     */
    public List<String> windowMx() {
        return flow == MxFlow.RELAY_FIRST ? applianceMx : target == null ? List.of() : target.mx();
    }

    /** A domain that does not ask for the legacy SPF mechanisms to be gone. */
    public DomainPlan(
            String name,
            boolean includeSubdomains,
            boolean softBounce,
            Side legacy,
            Side target,
            List<String> recipients) {
        this(name, includeSubdomains, softBounce, legacy, target, recipients, false);
    }
}
