package io.mxcutover.appliance.probe;

import io.mxcutover.appliance.plan.PlanImapUrl;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.HeaderTerm;
import java.time.Duration;
import java.util.Properties;

/**
 * Logs a mailbox in to the new IMAP server (plan {@code new.imap}) and looks into its INBOX, read-only
 * (EXAMINE, nothing is flagged). {@code imap://}: STARTTLS when offered, certificate not verified (like
 * the relay's opportunistic TLS: servers inside a migration often have self-signed certificates);
 * {@code imaps://}: TLS with the certificate verified. Every step has the given timeout.
 */
final class ImapProbeClient implements AutoCloseable {

    private final Store store;

    private ImapProbeClient(Store store) {
        this.store = store;
    }

    /** @throws jakarta.mail.AuthenticationFailedException when the server refuses the login */
    static ImapProbeClient login(PlanImapUrl server, String login, String password, Duration timeout)
            throws MessagingException {
        String protocol = server.implicitTls() ? "imaps" : "imap";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.setProperty(p + "connectiontimeout", Long.toString(timeout.toMillis()));
        props.setProperty(p + "timeout", Long.toString(timeout.toMillis()));
        props.setProperty(p + "writetimeout", Long.toString(timeout.toMillis()));
        props.setProperty(p + "peek", "true");
        props.setProperty(p + "statuscachetimeout", "0");
        if (server.implicitTls()) {
            props.setProperty(p + "ssl.checkserveridentity", "true");
        } else {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "ssl.trust", server.host());
            props.setProperty(p + "ssl.checkserveridentity", "false");
        }
        Store store = Session.getInstance(props).getStore(protocol);
        store.connect(server.host(), server.port(), login, password);
        return new ImapProbeClient(store);
    }

    /** Is a message with this Message-ID in the INBOX now? */
    boolean inboxHas(String messageId) throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        try {
            return inbox.search(new HeaderTerm("Message-ID", messageId)).length > 0;
        } finally {
            inbox.close(false);
        }
    }

    @Override
    public void close() {
        try {
            store.close();
        } catch (MessagingException e) {
            // Logging out of a probe session: nothing depends on it.
        }
    }

    /** The server's words for a failure, without anything we sent (the password never appears). */
    static String describe(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (e instanceof jakarta.mail.AuthenticationFailedException) {
            return "login refused" + (message == null || message.isBlank() ? "" : " (" + message.strip() + ")");
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof java.net.ConnectException) {
            return "connection refused; check that the new IMAP server runs and listens there";
        }
        if (root instanceof java.net.SocketTimeoutException) {
            return "no answer within the timeout";
        }
        if (root instanceof javax.net.ssl.SSLException) {
            return "TLS failed: " + root.getMessage();
        }
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }
}
