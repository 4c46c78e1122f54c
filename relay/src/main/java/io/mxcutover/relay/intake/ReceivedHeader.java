package io.mxcutover.relay.intake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * The trace header this relay prepends (RFC 5321 §4.4): who handed the message over, to which
 * host, with which protocol and TLS parameters, under which queue id, for which recipient.
 * Reverse DNS is never looked up (it would cost a query per message); the client is named by its
 * HELO and IP.
 */
final class ReceivedHeader {

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** TLS parameters of the session, when STARTTLS was used. */
    record Tls(String protocol, String cipherSuite) {}

    private ReceivedHeader() {}

    static byte[] build(
            String helo,
            String clientIp,
            String hostname,
            String queueId,
            Optional<Tls> tls,
            List<String> recipients,
            Instant now) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("Received: from ")
                .append(printable(helo.isEmpty() ? "unknown" : helo))
                .append(" ([")
                .append(clientIp)
                .append("])\r\n");
        sb.append("\tby ")
                .append(hostname)
                .append(" (mxcutover) with ")
                .append(tls.isPresent() ? "ESMTPS" : "ESMTP")
                .append(" id ")
                .append(queueId);
        if (tls.isPresent()) {
            sb.append("\r\n\t(using ")
                    .append(tls.get().protocol())
                    .append(" with cipher ")
                    .append(tls.get().cipherSuite())
                    .append(")");
        }
        if (recipients.size() == 1) {
            sb.append("\r\n\tfor <").append(printable(recipients.get(0))).append(">");
        }
        sb.append("; ").append(DATE.format(now)).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < 255; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x21 || c == 0x7f || c == '(' || c == ')' ? '_' : c);
        }
        return sb.toString();
    }
}
