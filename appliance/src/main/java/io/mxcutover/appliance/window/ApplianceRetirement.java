package io.mxcutover.appliance.window;

import io.mxcutover.appliance.cutover.AdminText;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.DomainView;
import io.mxcutover.appliance.facts.HostsGone;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When the appliance may be retired for a relay-first domain (plan {@code flow: relay-first}): the
 * domain is COMPLETED (the catch-up window closed), and after the last MX switch (appliance -> new
 * provider) no authoritative server or watched resolver returns an appliance host any more, plus the
 * old record's TTL. Unknown DNS (no observation, timeout, SERVFAIL, stale poll) is "not yet" with the
 * reason. Pure. Switch-at-go-live domains never pointed their MX at the appliance: nothing to say.
 */
public final class ApplianceRetirement {

    private ApplianceRetirement() {}

    /**
     * @param relayFirst     the domain's plan says {@code flow: relay-first}
     * @param applianceMx    the appliance's MX hosts ({@code appliance.mx})
     * @param dns            the watcher's word on those hosts
     */
    public static Optional<DomainView.RetirementView> evaluate(
            String domain,
            boolean relayFirst,
            List<String> applianceMx,
            CutoverPhase phase,
            HostsGone dns,
            Instant now) {
        if (!relayFirst) {
            return Optional.empty();
        }
        String hosts = String.join(", ", applianceMx);
        if (phase != CutoverPhase.COMPLETED) {
            return Optional.of(notYet("not yet: " + domain + " is " + phase
                    + (phase == CutoverPhase.RELAYING
                            ? " (the appliance relays its mail to legacy); go live, and once COMPLETED"
                            : " (the appliance relays to new, the sync catches up from legacy until the window closes);"
                                    + " once COMPLETED")
                    + " point the MX from " + hosts + " to the new provider (new.mx)"));
        }
        if (dns.at().isEmpty()) {
            return Optional.of(notYet("not yet: " + dns.reason() + "; point the MX of " + domain + " from " + hosts
                    + " to the new provider (new.mx) if not done"));
        }
        Instant at = dns.at().get();
        boolean retirable = !now.isBefore(at);
        return Optional.of(new DomainView.RetirementView(
                retirable,
                dns.at(),
                (retirable
                                ? "the appliance can be retired for " + domain + " since "
                                : "the appliance can be retired for " + domain + " at ")
                        + AdminText.at(at) + " (" + dns.reason() + ")"));
    }

    private static DomainView.RetirementView notYet(String text) {
        return new DomainView.RetirementView(false, Optional.empty(), text);
    }
}
