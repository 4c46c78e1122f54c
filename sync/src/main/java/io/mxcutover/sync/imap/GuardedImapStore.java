package io.mxcutover.sync.imap;

import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.ListInfo;

/**
 * Angus's IMAPStore with our protocol ({@link RawImapProtocol}) and one guard: the server must offer the one SASL
 * mechanism a login needs. A master user logging in on behalf of a mailbox needs AUTH=PLAIN: without it Angus
 * would fall back to the LOGIN command, which carries no authorization id, and we would sync the master's own
 * mailbox. An OAuth2 login needs AUTH=XOAUTH2 or AUTH=OAUTHBEARER: without it Angus would send the token as a
 * LOGIN password.
 */
final class GuardedImapStore extends IMAPStore {
    /** The words of the guard's refusal, which the session recognises. */
    static final String NOT_OFFERED = "server does not offer AUTH=";

    private final String requiredMechanism;

    /** {@code requiredMechanism}: the SASL mechanism the server must offer, or null (any login). */
    GuardedImapStore(Session session, URLName url, boolean ssl, String requiredMechanism) {
        super(session, url, ssl ? "imaps" : "imap", ssl);
        this.requiredMechanism = requiredMechanism;
    }

    /** Our protocol: Angus's plus a raw body FETCH (see {@link RawImapProtocol}). */
    @Override
    protected IMAPProtocol newIMAPProtocol(String host, int port) throws java.io.IOException, ProtocolException {
        return new RawImapProtocol(name, host, port, session.getProperties(), isSSL, logger);
    }

    /** Folders without Angus's NOOP after every second of quiet (see {@link QuietImapFolder}). */
    @Override
    protected IMAPFolder newIMAPFolder(String fullName, char separator, Boolean isNamespace) {
        return new QuietImapFolder(fullName, separator, this, isNamespace);
    }

    @Override
    protected IMAPFolder newIMAPFolder(ListInfo li) {
        return new QuietImapFolder(li, this);
    }

    @Override
    protected void preLogin(IMAPProtocol p) throws ProtocolException {
        if (requiredMechanism == null || p.hasCapability("AUTH=" + requiredMechanism)) {
            return;
        }
        if (requiredMechanism.equals("PLAIN")) {
            throw new ProtocolException(NOT_OFFERED + "PLAIN, which a master-user login needs"
                    + " (refusing to fall back to LOGIN, which would open the master's own mailbox)");
        }
        throw new ProtocolException(NOT_OFFERED + requiredMechanism + ", which this OAuth2 login needs"
                + " (refusing to send the token as a LOGIN password; choose the mechanism the server offers)");
    }
}
