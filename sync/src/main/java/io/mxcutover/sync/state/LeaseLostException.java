package io.mxcutover.sync.state;

/**
 * This node no longer holds the lease of the mailbox it was copying (another node took it after a pause longer
 * than the lease, or the database could not renew it): the pass stops without writing anything more for that
 * mailbox, and the node that holds the lease resumes from the journal.
 */
public final class LeaseLostException extends RuntimeException {
    public LeaseLostException(String message) {
        super(message);
    }
}
