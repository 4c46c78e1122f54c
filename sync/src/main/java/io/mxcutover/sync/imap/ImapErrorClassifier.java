package io.mxcutover.sync.imap;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import java.io.IOException;
import java.util.Locale;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.Response;

/**
 * What a failed IMAP command means for the sync: the {@link ImapException.Kind} of a server's reply or of
 * the exception Angus Mail threw for it. Pure: values in, a value out; no I/O. The sessions
 * ({@link ImapSourceStore}, {@link ImapTargetStore}) ask it and throw what it returns;
 * {@code SyncFailurePolicy} then decides what each kind does to the message, folder, mailbox or server.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>The server said slow down, in words ({@code [THROTTLED]}, {@code [LIMIT]}, {@code [UNAVAILABLE]},
 *       "Suggested Backoff Time", "too many") or by a real BYE in mid-session (overload, shutdown, connection
 *       limit): {@code THROTTLED}, a server-wide condition.</li>
 *   <li>Login refused: {@code AUTHENTICATION}, unless the refusal says slow down (a connection limit:
 *       Dovecot's {@code [UNAVAILABLE] Maximum number of connections}, Gmail's "Too many simultaneous
 *       connections"): then {@code THROTTLED}, and the login is retried after the server's backoff
 *       ({@link #loginRefused}).</li>
 *   <li>The connection went away (a dropped connection is a <em>synthetic</em> BYE, not the server's),
 *       a timeout, a closed store or folder: {@code CONNECTION}.</li>
 *   <li>A tagged NO: {@code REFUSED} (this message or folder).</li>
 *   <li>Anything else (BAD, an unparsable reply): {@code PROTOCOL}, transient.</li>
 * </ol>
 */
final class ImapErrorClassifier {
    private ImapErrorClassifier() {}

    /** The failure of {@code what} (e.g. "cannot fetch ... on source server ..."), with the server's words. */
    static ImapException classify(String what, Exception e, String server) {
        String text = safe(e.getMessage());
        Throwable cause = e.getCause();
        String upper = text.toUpperCase(Locale.ROOT);
        ImapException.Kind kind;
        if (isThrottle(upper) || serverSaidBye(e)) {
            kind = ImapException.Kind.THROTTLED;
        } else if (e instanceof AuthenticationFailedException) {
            kind = ImapException.Kind.AUTHENTICATION;
        } else if (e instanceof StoreClosedException
                || cause instanceof ConnectionException
                || cause instanceof IOException
                || e instanceof FolderClosedException
                || (e instanceof MessagingException me && me.getNextException() instanceof IOException)) {
            kind = ImapException.Kind.CONNECTION;
        } else if (cause instanceof CommandFailedException) {
            kind = ImapException.Kind.REFUSED;
        } else {
            kind = ImapException.Kind.PROTOCOL;
        }
        return new ImapException(kind, what + ": " + text, text, e, server);
    }

    /**
     * A login the server refused ({@code label} names the session): {@code AUTHENTICATION}, which waits for the
     * admin, unless the server's words say slow down (a connection limit): {@code THROTTLED}, retried after a
     * backoff, because the password was never judged.
     */
    static ImapException loginRefused(String label, AuthenticationFailedException e, String server) {
        String text = safe(e.getMessage());
        if (isThrottle(text.toUpperCase(Locale.ROOT))) {
            return new ImapException(
                    ImapException.Kind.THROTTLED,
                    "login refused for now by " + label + ": " + text
                            + " (the server limits connections or commands; the login is retried after a pause, nothing to"
                            + " change in the mailbox list)",
                    text,
                    null,
                    server);
        }
        return new ImapException(
                ImapException.Kind.AUTHENTICATION,
                "login refused by " + label + ": " + text + " (check the login and password in the mailbox list)",
                text,
                null,
                server);
    }

    /** The kind of a tagged reply that is not OK (an APPEND we issued ourselves). */
    static ImapException.Kind kindOf(Response r) {
        String text = r.toString().toUpperCase(Locale.ROOT);
        if (isThrottle(text)) {
            return ImapException.Kind.THROTTLED;
        }
        if (r.isBYE()) {
            return ImapException.Kind.CONNECTION;
        }
        return r.isNO() ? ImapException.Kind.REFUSED : ImapException.Kind.PROTOCOL;
    }

    /** A command the server refused with {@code text}: {@code THROTTLED} if the words say slow down, else {@code REFUSED}. */
    static ImapException.Kind refusal(String text) {
        return isThrottle(text.toUpperCase(Locale.ROOT)) ? ImapException.Kind.THROTTLED : ImapException.Kind.REFUSED;
    }

    /**
     * Whether a reply's text ({@code upper}: upper-cased) asks the client to slow down. Gmail's daily cap
     * ("Account exceeded command or bandwidth limits") counts, in a tagged NO as in a BYE; a full mailbox
     * ({@code [OVERQUOTA]} alone, "quota exceeded") does not: waiting does not empty it.
     */
    static boolean isThrottle(String upper) {
        return upper.contains("[THROTTLED]")
                || upper.contains("[LIMIT]")
                || upper.contains("SUGGESTED BACKOFF TIME")
                || upper.contains("[UNAVAILABLE]")
                || upper.contains("TOO MANY")
                || upper.contains("COMMAND OR BANDWIDTH LIMITS");
    }

    /**
     * The server itself sent BYE in the middle of the session (overload, shutdown, too many connections):
     * a server-wide condition, so every mailbox on it backs off. Angus reports a dropped connection as a
     * <em>synthetic</em> BYE; that one is a connection failure of this mailbox only.
     */
    static boolean serverSaidBye(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException ce) {
                Response r = ce.getResponse();
                return r != null && r.isBYE() && !r.isSynthetic();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A server's text on one line (a reply may span lines), never null. */
    static String safe(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }
}
