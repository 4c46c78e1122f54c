package io.mxcutover.appliance.readiness;

import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.plan.MxFlow;
import io.mxcutover.appliance.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The facts a cutover preflight judges, gathered by the caller from the sync state, probes of the new
 * server, the relay queue and the DNS watcher.
 *
 * @param relayHeldOrFailing messages for the domain the relay holds or keeps failing to deliver to new
 * @param dnsDetail the watcher's own words, shown next to the verdict
 * @param now when the preflight runs: a verification counts only if it is at most {@code verificationMaxAge}
 *     older than this
 * @param flow the plan's MX flow: which switch the DNS verdict is about, and so what to tell the admin
 * @param mailboxesOutOfScope mailboxes of the domain that are imported but not judged, because
 *     {@code batches.readiness: started-batches} leaves out those of batches not started: when every
 *     mailbox is left out, the mailbox checks name that scope rather than an empty mailbox list
 */
public record ReadinessInputs(
        String domain,
        List<MailboxProgress> mailboxes,
        ProbeResult newSmtp,
        ProbeResult newImap,
        int relayHeldOrFailing,
        DnsVerdict dns,
        String dnsDetail,
        Instant now,
        Duration verificationMaxAge,
        MxFlow flow,
        int mailboxesOutOfScope) {

    /** Every imported mailbox is judged (no batch scope). */
    public ReadinessInputs(
            String domain,
            List<MailboxProgress> mailboxes,
            ProbeResult newSmtp,
            ProbeResult newImap,
            int relayHeldOrFailing,
            DnsVerdict dns,
            String dnsDetail,
            Instant now,
            Duration verificationMaxAge,
            MxFlow flow) {
        this(domain, mailboxes, newSmtp, newImap, relayHeldOrFailing, dns, dnsDetail, now, verificationMaxAge, flow, 0);
    }

    public ReadinessInputs {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("readiness needs the domain");
        }
        mailboxes = List.copyOf(Objects.requireNonNull(mailboxes, "mailboxes"));
        Objects.requireNonNull(newSmtp, "newSmtp");
        Objects.requireNonNull(newImap, "newImap");
        if (relayHeldOrFailing < 0 || mailboxesOutOfScope < 0) {
            throw new IllegalArgumentException("held/failing and out-of-scope counts must not be negative");
        }
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(dnsDetail, "dnsDetail");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(flow, "flow");
        if (verificationMaxAge == null || verificationMaxAge.isNegative() || verificationMaxAge.isZero()) {
            throw new IllegalArgumentException(
                    "the verification age limit must be positive, got " + verificationMaxAge);
        }
    }
}
