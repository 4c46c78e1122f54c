package io.mxcutover.appliance.readiness;

import io.mxcutover.appliance.cutover.AdminText;
import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.appliance.plan.MxFlow;
import io.mxcutover.appliance.probe.ProbeResult;
import java.util.List;
import java.util.Objects;

/**
 * The preflight for a cutover: each check with its state and reason. Ready when nothing FAILs; WARNs are
 * shown and audited but do not block. A check passes only on a positive fact; a fact that is missing,
 * could not be gathered or is too old fails, with the reason. DNS never blocks by being not yet switched,
 * because some providers switch the MX at go-live (the catch-up window waits for the switch instead), but
 * no observation at all fails.
 */
public record Readiness(List<Check> checks) {

    public Readiness {
        checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
    }

    public static Readiness evaluate(ReadinessInputs in) {
        return new Readiness(List.of(
                MailboxChecks.history(in.domain(), in.mailboxes(), in.mailboxesOutOfScope()),
                MailboxChecks.verification(
                        in.domain(), in.mailboxes(), in.mailboxesOutOfScope(), in.now(), in.verificationMaxAge()),
                probe(Check.NEW_SMTP, "new SMTP target", in.newSmtp()),
                probe(Check.NEW_IMAP, "new IMAP target", in.newImap()),
                relayQueue(in.domain(), in.relayHeldOrFailing()),
                dns(in.domain(), in.dns(), in.dnsDetail(), in.flow())));
    }

    /** For commands that do not need a preflight; a cutover given this is refused unless forced. */
    public static Readiness notEvaluated() {
        return new Readiness(List.of(Check.fail(Check.PREFLIGHT, "the preflight checks were not run")));
    }

    public boolean ready() {
        return failing().isEmpty();
    }

    public List<Check> failing() {
        return checks.stream().filter(Check::failed).toList();
    }

    private static Check probe(String name, String target, ProbeResult probe) {
        String detail = probe.detail().isBlank() ? "" : ": " + probe.detail();
        return probe.reachable()
                ? Check.pass(name, target + " answers" + detail)
                : Check.fail(name, target + " does not answer" + detail);
    }

    private static Check relayQueue(String domain, int heldOrFailing) {
        if (heldOrFailing == 0) {
            return Check.pass(Check.RELAY_QUEUE, "no message for " + domain + " held or failing toward new");
        }
        return Check.fail(
                Check.RELAY_QUEUE,
                AdminText.count(heldOrFailing, "message", "messages") + " for " + domain
                        + (heldOrFailing == 1 ? " is" : " are") + " held or failing toward new; see GET /api/v1/queue");
    }

    private static Check dns(String domain, DnsVerdict verdict, String detail, MxFlow flow) {
        String suffix = detail.isBlank() ? "" : " (" + detail + ")";
        return switch (verdict) {
            case SWITCHED ->
                Check.pass(
                        Check.DNS,
                        "every authoritative server and watched resolver returns" + " the new MX set" + suffix);
            case PROPAGATING ->
                Check.warn(
                        Check.DNS,
                        "some resolvers still return the old MX set; the"
                                + " catch-up window copies what they send to legacy" + suffix);
            // Relay-first moves the MX to the appliance before the history copy; switch-at-go-live moves it
            // to the new provider at go-live. Either way the window only starts once the switch is seen.
            case NOT_SWITCHED ->
                flow == MxFlow.RELAY_FIRST
                        ? Check.warn(
                                Check.DNS,
                                "the MX still points at legacy; relay-first: point it at the"
                                        + " appliance (the plan's appliance.mx) now, before go-live; the catch-up window only"
                                        + " starts counting once that switch is seen" + suffix)
                        : Check.warn(
                                Check.DNS,
                                "the MX still points at the old set; switch it to the new provider at"
                                        + " go-live, the catch-up window only starts counting once the switch is seen"
                                        + suffix);
            // Unknown is red: without an observation nothing rules out an MX pointing elsewhere (UNEXPECTED).
            case UNKNOWN ->
                Check.fail(
                        Check.DNS,
                        "no usable DNS observation (the watcher has not polled yet, or"
                                + " every lookup failed or timed out), so nothing says where the MX points; see GET"
                                + " /api/v1/domains/" + domain + "/dns, or pass force" + suffix);
            case UNEXPECTED ->
                Check.fail(
                        Check.DNS,
                        "the MX points at hosts that are neither the old nor the"
                                + " new set; mail may be going elsewhere, fix DNS" + suffix);
        };
    }
}
