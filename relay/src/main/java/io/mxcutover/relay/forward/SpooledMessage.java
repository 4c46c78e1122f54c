package io.mxcutover.relay.forward;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * A message whose bytes come straight from the spool. Angus's transport only calls
 * {@code writeTo}; overriding it means headers are never re-serialised and the transport's
 * ignore list ({@code Bcc}, {@code Content-Length}) has no effect. Never call
 * {@code saveChanges()} on it.
 */
public final class SpooledMessage extends SMTPMessage {

    /** Opens the message bytes; called once per send (and again on a retry). */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private final Source source;

    public SpooledMessage(Session session, Source source, String reversePath) {
        super(session);
        this.source = source;
        // "<>" keeps the null sender; an empty string would make Angus fall back to From:.
        setEnvelopeFrom(reversePath.isEmpty() ? "<>" : reversePath);
    }

    @Override
    public void writeTo(OutputStream os) throws IOException, MessagingException {
        writeTo(os, null);
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = source.open()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                os.write(buf, 0, n);
            }
        }
    }
}
