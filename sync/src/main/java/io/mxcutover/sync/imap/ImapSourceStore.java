package io.mxcutover.sync.imap;

import static io.mxcutover.sync.imap.ImapErrorClassifier.classify;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.time.Sleeper;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * A session on a server the sync only reads (the legacy server; the new server when it is only compared):
 * folders are EXAMINEd (read-only) and every body item is {@code BODY.PEEK}, so the server never gets a flag
 * set. Its type has no write command; the reads are {@link ImapSession}'s. See {@link SourceStore}.
 */
public final class ImapSourceStore extends ImapSession {
    private ImapSourceStore(Connected connected, ImapSettings settings) {
        super(connected, settings, Folder.READ_ONLY);
    }

    /** Connects and logs in as the source side. Failures name the server and the login, never the secret. */
    public static ImapSourceStore open(ImapEndpoint endpoint, Login login, ImapSettings settings) throws ImapException {
        return new ImapSourceStore(connect(endpoint, login, "source", settings), settings);
    }

    /**
     * IDLE (RFC 2177) on the selected folder until the server reports a change or {@code maxMillis} passes; returns
     * the folder's message count when the IDLE ended (what the server reported during and right after it). The
     * caller compares it with the count it last acted on, not with the count when this IDLE began: a message that
     * arrived between two IDLEs (or between the SELECT and the first one) is in neither notification. Without IDLE
     * support returns -1 at once and the caller polls.
     */
    public int idle(String folder, long maxMillis) throws ImapException {
        IMAPFolder f = open(folder);
        try {
            // Asked on the folder's own connection: the store's hasCapability would open a second connection
            // to the server while the folder holds the first (two legacy connections per IDLEd INBOX).
            if (!Boolean.TRUE.equals(f.doCommand(p -> p.hasCapability("IDLE")))) {
                return -1;
            }
            Thread waker = new Thread(
                    () -> {
                        try {
                            Sleeper.SYSTEM.sleep(java.time.Duration.ofMillis(maxMillis));
                            f.getMessageCount(); // any command on the folder ends the IDLE
                        } catch (InterruptedException ignored) {
                            Thread.currentThread().interrupt();
                        } catch (MessagingException ignored) {
                            // the idling thread sees the failure itself
                        }
                    },
                    "imap-idle-waker");
            waker.setDaemon(true);
            waker.start();
            try {
                f.idle(true);
            } finally {
                waker.interrupt();
            }
            return f.getMessageCount();
        } catch (MessagingException e) {
            throw classify("IDLE on folder '" + folder + "' failed on " + label, e, server);
        }
    }
}
