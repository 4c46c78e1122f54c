package io.mxcutover.relay.intake;

import io.mxcutover.relay.RelayMetrics.Rejection;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.smtp.AddressSyntax;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.smtp.SmtpReply;
import java.util.Optional;

/**
 * Decides RCPT TO, the relay's open-relay guard: strict syntax ({@link AddressSyntax}), then the
 * domain must be in the routing table (Postfix {@code relay_domains} +
 * {@code reject_unauth_destination}), then the mailbox must be known when the plan lists the
 * domain's mailboxes ({@code relay_recipient_maps}). Pure.
 */
public final class RecipientPolicy {

    public sealed interface Verdict permits Accept, Refuse {}

    /** Accepted so far; {@code needsCallout} when the plan does not list the domain's mailboxes. */
    public record Accept(MailAddress address, DomainRoute route, boolean needsCallout) implements Verdict {}

    public record Refuse(SmtpReply reply, Rejection reason) implements Verdict {}

    private RecipientPolicy() {}

    /**
     * @param smtputf8 the transaction's MAIL FROM declared SMTPUTF8; without it a UTF-8 address is
     *                 refused (553 5.6.7, RFC 6531 §3.4) rather than passed on in another encoding
     */
    public static Verdict check(String rawRecipient, RoutingTable table, boolean smtputf8) {
        if (!smtputf8 && rawRecipient != null && !EnvelopeCommand.isAscii(rawRecipient)) {
            return new Refuse(
                    SmtpReply.of(553, "5.6.7", "Must declare SMTPUTF8 in MAIL FROM to send to a UTF-8 address"),
                    Rejection.UNDECLARED_UTF8);
        }
        AddressSyntax.Parsed parsed = AddressSyntax.parseRecipient(rawRecipient);
        if (parsed instanceof AddressSyntax.Invalid inv) {
            return new Refuse(
                    inv.reply(),
                    inv.problem() == AddressSyntax.Problem.ROUTING ? Rejection.ROUTING_TRICK : Rejection.BAD_SYNTAX);
        }
        MailAddress address = ((AddressSyntax.Valid) parsed).address();
        Optional<DomainRoute> route = table.lookup(address.domain());
        if (route.isEmpty()) {
            return new Refuse(
                    SmtpReply.of(550, "5.7.1", "<" + address + ">: Relay access denied"), Rejection.RELAY_DENIED);
        }
        DomainRoute r = route.get();
        if (r.recipients().isPresent()) {
            if (!r.knowsRecipient(address.localPart(), address.domain())) {
                return new Refuse(
                        SmtpReply.of(
                                550,
                                "5.1.1",
                                "<" + address + ">: Recipient address rejected: User unknown in relay recipient table"),
                        Rejection.UNKNOWN_RECIPIENT);
            }
            return new Accept(address, r, false);
        }
        return new Accept(address, r, true);
    }
}
