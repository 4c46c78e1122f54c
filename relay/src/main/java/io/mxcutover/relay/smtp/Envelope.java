package io.mxcutover.relay.smtp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * MAIL FROM plus RCPT TO of one message. {@code sender} is empty for the null reverse path
 * {@code <>} (bounces); such a message must never cause another bounce (RFC 5321 §6.1).
 * {@code smtputf8}: the client declared SMTPUTF8 (RFC 6531), so the message goes on only to a
 * next hop that offers it, unless its addresses and headers are all ASCII
 * ({@link io.mxcutover.relay.forward.Smtputf8Need}); always true when an address is not ASCII (an envelope that would need
 * it but lacks it cannot be built). {@code eightBitMime}: MAIL FROM carried {@code BODY=8BITMIME}
 * (RFC 6152), passed on to a next hop that offers 8BITMIME.
 */
public record Envelope(Optional<String> sender, List<MailAddress> recipients, boolean smtputf8, boolean eightBitMime) {

    /** An envelope that needs SMTPUTF8 exactly when one of its addresses is not ASCII. */
    public Envelope(Optional<String> sender, List<MailAddress> recipients) {
        this(sender, recipients, !asciiOnly(sender, recipients), false);
    }

    public Envelope(Optional<String> sender, List<MailAddress> recipients, boolean smtputf8) {
        this(sender, recipients, smtputf8, false);
    }

    public Envelope {
        Objects.requireNonNull(sender, "sender");
        sender.ifPresent(s -> {
            if (s.isEmpty() || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '<' || c == '>')) {
                throw new IllegalArgumentException("invalid envelope sender: use Optional.empty() for <>");
            }
        });
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        if (!smtputf8 && !asciiOnly(sender, recipients)) {
            throw new IllegalArgumentException("a UTF-8 address needs an SMTPUTF8 envelope");
        }
    }

    private static boolean asciiOnly(Optional<String> sender, List<MailAddress> recipients) {
        return sender.map(AddressSyntax::isAscii).orElse(true)
                && (recipients == null || recipients.stream().allMatch(r -> AddressSyntax.isAscii(r.toString())));
    }

    public boolean hasNullSender() {
        return sender.isEmpty();
    }

    /** The reverse path as written on the wire, without brackets: "" for the null sender. */
    public String reversePath() {
        return sender.orElse("");
    }
}
