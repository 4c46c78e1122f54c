package io.mxcutover.appliance.cutover;

import java.util.List;
import java.util.Objects;

/**
 * The preflight for a cutover: each check with its state and reason. Ready when nothing FAILs; WARNs are
 * shown and audited but do not block. DNS never blocks by being not yet switched, because some providers
 * switch the MX at go-live; the catch-up window waits for the switch instead.
 */
public record Readiness(List<Check> checks) {

    public Readiness {
        checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
    }

    public static Readiness evaluate(ReadinessInputs in) {
        return new Readiness(List.of(
                MailboxChecks.history(in.domain(), in.mailboxes()),
                MailboxChecks.verification(in.mailboxes()),
                probe(Check.NEW_SMTP, "new SMTP target", in.newSmtp()),
                probe(Check.NEW_IMAP, "new IMAP target", in.newImap()),
                relayQueue(in.domain(), in.relayHeldOrFailing()),
                dns(in.dns(), in.dnsDetail())));
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
        return Check.fail(Check.RELAY_QUEUE, AdminText.count(heldOrFailing, "message", "messages") + " for " + domain
                + (heldOrFailing == 1 ? " is" : " are") + " held or failing toward new; see GET /api/v1/queue");
    }

    private static Check dns(DnsVerdict verdict, String detail) {
        String suffix = detail.isBlank() ? "" : " (" + detail + ")";
        return switch (verdict) {
            case SWITCHED -> Check.pass(Check.DNS, "every authoritative server and watched resolver returns"
                    + " the new MX set" + suffix);
            case PROPAGATING -> Check.warn(Check.DNS, "some resolvers still return the old MX set; the"
                    + " catch-up window copies what they send to legacy" + suffix);
            case NOT_SWITCHED -> Check.warn(Check.DNS, "the MX still points at the old set; switch it at"
                    + " go-live, the catch-up window only starts counting once the switch is seen" + suffix);
            case UNKNOWN -> Check.warn(Check.DNS, "no DNS observation yet; see GET /api/v1/domains/{d}/dns"
                    + suffix);
            case UNEXPECTED -> Check.fail(Check.DNS, "the MX points at hosts that are neither the old nor the"
                    + " new set; mail may be going elsewhere, fix DNS" + suffix);
        };
    }
}
