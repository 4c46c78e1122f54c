package io.mxcutover.sync.engine;

import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSourceStore;
import io.mxcutover.sync.imap.ImapTargetStore;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.imap.TargetStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.run.SyncSettings;

/**
 * Opens the two sessions of a mailbox pass: the source read-only (its type has no write command), the
 * target for writing. Over IMAP in production ({@link #imap}); the engine's unit tests open sessions on
 * in-memory servers instead, so a crash at every step runs in milliseconds.
 */
public interface MailboxSessions {
    SourceStore openSource(MailboxAccount account) throws ImapException;

    TargetStore openTarget(MailboxAccount account) throws ImapException;

    /** IMAP sessions on the servers of {@code settings}. */
    static MailboxSessions imap(SyncSettings settings) {
        return new MailboxSessions() {
            @Override
            public SourceStore openSource(MailboxAccount account) throws ImapException {
                return ImapSourceStore.open(settings.source(), account.source(), settings.imap());
            }

            @Override
            public TargetStore openTarget(MailboxAccount account) throws ImapException {
                return ImapTargetStore.open(settings.target(), account.target(), settings.imap());
            }
        };
    }
}
