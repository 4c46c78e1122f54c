package io.mxcutover.sync.imap;

import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;

/**
 * Angus's IMAPStore with our protocol ({@link RawImapProtocol}) and one guard: when a master user logs in on behalf of a mailbox, the
 * server must offer AUTH=PLAIN. Without it Angus would fall back to the LOGIN command, which
 * carries no authorization id, and we would sync the master's own mailbox.
 */
final class GuardedImapStore extends IMAPStore {
    private final boolean requirePlain;

    GuardedImapStore(Session session, URLName url, boolean ssl, boolean requirePlain) {
        super(session, url, ssl ? "imaps" : "imap", ssl);
        this.requirePlain = requirePlain;
    }

    /** Our protocol: Angus's plus a raw body FETCH (see {@link RawImapProtocol}). */
    @Override
    protected IMAPProtocol newIMAPProtocol(String host, int port) throws java.io.IOException, ProtocolException {
        return new RawImapProtocol(name, host, port, session.getProperties(), isSSL, logger);
    }

    @Override
    protected void preLogin(IMAPProtocol p) throws ProtocolException {
        if (requirePlain && !p.hasCapability("AUTH=PLAIN")) {
            throw new ProtocolException("server does not offer AUTH=PLAIN, which a master-user login needs"
                    + " (refusing to fall back to LOGIN, which would open the master's own mailbox)");
        }
    }
}
