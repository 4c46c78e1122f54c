package io.mxcutover.sync.imap;

import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.ListInfo;

/**
 * Angus's IMAPFolder without its eager keep-alive. Angus sends a NOOP from {@code isOpen()} and
 * {@code getMessageCount()} whenever the folder's connection has been quiet for one second; the sync checks
 * {@code isOpen()} before every body FETCH and folder switch, and across a WAN (or while the other side of a
 * copy is busy) a second passes often, so each check cost a full round trip. Here the keep-alive runs at most
 * once per {@link #KEEP_ALIVE_NANOS}: a connection the server dropped meanwhile fails the next real command
 * instead, which the session classifies as a connection error as before.
 */
final class QuietImapFolder extends IMAPFolder {
    /** Far below any server's idle timeout (RFC 3501: at least 30 minutes). */
    static final long KEEP_ALIVE_NANOS = 60_000_000_000L;

    private long lastKeepAlive = System.nanoTime();

    QuietImapFolder(String fullName, char separator, IMAPStore store, Boolean isNamespace) {
        super(fullName, separator, store, isNamespace);
    }

    QuietImapFolder(ListInfo li, IMAPStore store) {
        super(li, store);
    }

    @Override
    protected void keepConnectionAlive(boolean keepStoreAlive) throws ProtocolException {
        long now = System.nanoTime();
        if (now - lastKeepAlive < KEEP_ALIVE_NANOS) {
            return;
        }
        lastKeepAlive = now;
        super.keepConnectionAlive(keepStoreAlive);
    }
}
