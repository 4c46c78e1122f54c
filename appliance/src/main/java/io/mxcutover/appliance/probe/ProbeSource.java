package io.mxcutover.appliance.probe;

import io.mxcutover.appliance.cutover.CutoverSources;
import io.mxcutover.appliance.plan.DomainPlan;

/**
 * Probes the new server of a domain before cutover: does its SMTP and its IMAP answer? The appliance uses
 * {@link GreetingProbe}; tests may install another with {@link CutoverSources#probes(ProbeSource)}.
 * Each call may block up to its timeouts; it never throws, it answers {@link ProbeResult#unreachable}.
 */
public interface ProbeSource {

    /** The domain's new SMTP next hops (plan {@code new.smtp}): does one greet with 220? */
    ProbeResult newSmtp(DomainPlan domain);

    /** The domain's new IMAP server (plan {@code new.imap}): does it greet with "* OK"? */
    ProbeResult newImap(DomainPlan domain);
}
