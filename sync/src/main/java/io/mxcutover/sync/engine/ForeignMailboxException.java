package io.mxcutover.sync.engine;

/**
 * A sync built for one domain was asked to work on a mailbox of another: refused, because that would
 * present the mailbox's login and password to servers that do not serve it.
 */
public final class ForeignMailboxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ForeignMailboxException(String address, String domain) {
        super("mailbox " + address + " is not of domain " + domain + ": the sync of " + domain
                + " never logs in to its servers with it");
    }
}
