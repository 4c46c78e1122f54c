package io.mxcutover.appliance.probe;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The send/receive test's message: plain US-ASCII text with CRLF line ends, a Message-ID of its own to find
 * it by, and {@code Auto-Submitted: auto-generated} (RFC 3834) so that no vacation responder answers it.
 * From and To are the probe mailbox itself: nothing outside the migrated domain is named.
 */
final class ProbeMessage {

    private ProbeMessage() {}

    /** {@code <mxcutover-probe.UUID@relay-hostname>}: unique, and says who sent it. */
    static String messageId(UUID id, String hostname) {
        String host = hostname == null || hostname.isBlank() ? "mxcutover.invalid" : hostname.strip();
        return "<mxcutover-probe." + id + "@" + host + ">";
    }

    static byte[] build(String domain, String mailbox, String messageId, Instant date) {
        String text = "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC)) + "\r\n"
                + "From: mxcutover probe <" + mailbox + ">\r\n"
                + "To: <" + mailbox + ">\r\n"
                + "Subject: mxcutover post-cutover test for " + domain + "\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "Auto-Submitted: auto-generated\r\n"
                + "X-Mxcutover-Probe: " + domain + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=US-ASCII\r\n"
                + "\r\n"
                + "mxcutover sent this message through its SMTP relay to check that mail for " + domain + "\r\n"
                + "reaches the new server after the cutover. It can be deleted.\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
