package io.mxcutover.relay.smtp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * MAIL FROM plus RCPT TO of one message. {@code sender} is empty for the null reverse path
 * {@code <>} (bounces); such a message must never cause another bounce (RFC 5321 §6.1).
 */
public record Envelope(Optional<String> sender, List<MailAddress> recipients) {

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
    }

    public boolean hasNullSender() {
        return sender.isEmpty();
    }

    /** The reverse path as written on the wire, without brackets: "" for the null sender. */
    public String reversePath() {
        return sender.orElse("");
    }
}
