package io.mxcutover.relay.forward;

import io.mxcutover.relay.smtp.AddressSyntax;
import io.mxcutover.relay.smtp.Envelope;
import io.mxcutover.relay.smtp.MailAddress;
import java.io.IOException;
import java.io.InputStream;

/**
 * Whether a message must travel with SMTPUTF8 (RFC 6531). A client may declare SMTPUTF8 for a message
 * that needs none of it (some declare it whenever the server offers it); RFC 6531 §3.4 says a client
 * that knows neither the envelope nor the message needs it SHOULD NOT declare it. Such a message is an
 * ordinary one and goes on without the parameter, also to a next hop that does not offer SMTPUTF8,
 * instead of being deferred or bounced with 5.6.7. It needs SMTPUTF8 when the client declared it and an
 * envelope address or a byte of the header section (up to the first empty line) is not ASCII. The body
 * is not looked at: 8-bit bodies are 8BITMIME's matter, not SMTPUTF8's.
 */
public final class Smtputf8Need {

    private Smtputf8Need() {}

    /** {@code message}: the spooled message from its first byte (the relay's Received header). */
    public static boolean needed(Envelope envelope, InputStream message) throws IOException {
        if (!envelope.smtputf8()) {
            return false;
        }
        if (!envelope.sender().map(AddressSyntax::isAscii).orElse(true)
                || !envelope.recipients().stream().map(MailAddress::toString).allMatch(AddressSyntax::isAscii)) {
            return true;
        }
        byte[] buf = new byte[8192];
        int previous = -1; // last byte seen, to find CRLF CRLF (or LF LF) across reads
        int beforePrevious = -1;
        int beforeThat = -1;
        int n;
        while ((n = message.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                int b = buf[i] & 0xff;
                if (b >= 0x80) {
                    return true;
                }
                if (b == '\n'
                        && (previous == '\n' || (previous == '\r' && beforePrevious == '\n' && beforeThat == '\r'))) {
                    return false; // end of the header section
                }
                beforeThat = beforePrevious;
                beforePrevious = previous;
                previous = b;
            }
        }
        return false;
    }
}
