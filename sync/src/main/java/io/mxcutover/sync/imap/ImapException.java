package io.mxcutover.sync.imap;

import java.util.Objects;

/**
 * An IMAP operation failed. {@link Kind} says what the failure means for the sync; the
 * message names server, mailbox and folder and carries the server's own words, never a
 * credential.
 */
public final class ImapException extends Exception {
    public enum Kind {
        /** Login refused: wrong password, unknown user, master user not allowed. Needs the admin. */
        AUTHENTICATION,
        /** Cannot connect, connection dropped, timeout. Transient. */
        CONNECTION,
        /** The server asked us to slow down ([THROTTLED], [LIMIT], "Suggested Backoff Time", BYE on overload). */
        THROTTLED,
        /** The server refused this command for this message or folder (NO): APPEND rejected, folder refused. */
        REFUSED,
        /** Anything else (BAD, unparsable response). Treated as transient. */
        PROTOCOL
    }

    private final Kind kind;
    private final String serverText;
    private final String server;

    public ImapException(Kind kind, String message, String serverText, Throwable cause) {
        this(kind, message, serverText, cause, "");
    }

    /** {@code server}: {@code host:port} of the server that answered (the key of its throttling gate). */
    public ImapException(Kind kind, String message, String serverText, Throwable cause, String server) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.serverText = serverText == null ? "" : serverText;
        this.server = server == null ? "" : server;
    }

    /** {@code host:port} of the server that failed or refused; empty when not known. */
    public String server() {
        return server;
    }

    public Kind kind() {
        return kind;
    }

    /** What the server said (tagged response text), empty if nothing. */
    public String serverText() {
        return serverText;
    }
}
