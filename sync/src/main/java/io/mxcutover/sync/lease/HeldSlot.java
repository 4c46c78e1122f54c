package io.mxcutover.sync.lease;

import io.mxcutover.sync.imap.ImapException;

/**
 * A connection slot this node holds on a server; {@link #close} (when the connection closes) frees it.
 *
 * <p>A slot is good until its expiry, which each renewal moves on by a period. Once a renewal finds it gone, or
 * less than a third of the period is left (renewals have stopped: the database is slow or unreachable, or the node
 * died in a test), the connection must not be used any more: another node may take the slot when it expires, and
 * the server would then see more connections than the cluster's cap. {@link #check} is called before each command.
 */
public final class HeldSlot implements AutoCloseable {
    private final NodeLeases owner;
    private final ServerSlotStore.Slot slot;
    private volatile long renewedAt;
    private volatile long expiresAt;
    private volatile boolean lost;
    private volatile boolean released;

    HeldSlot(NodeLeases owner, ServerSlotStore.Slot slot, long renewedAt, long expiresAt) {
        this.owner = owner;
        this.slot = slot;
        this.renewedAt = renewedAt;
        this.expiresAt = expiresAt;
    }

    ServerSlotStore.Slot slot() {
        return slot;
    }

    long renewedAt() {
        return renewedAt;
    }

    void renewed(long now, long newExpiry) {
        renewedAt = now;
        expiresAt = newExpiry;
    }

    void markLost() {
        lost = true;
    }

    boolean lost() {
        return lost;
    }

    boolean released() {
        return released;
    }

    /** Whether the connection may still be used now: not lost, and more than a third of the period left. */
    public boolean usable() {
        return !lost
                && LeaseRules.writable(
                        expiresAt, owner.clock().millis(), owner.settings().period());
    }

    /**
     * Throws when the slot is no longer {@link #usable}: the caller's session ends (it is closed by its owner), the
     * pass fails for this mailbox and is retried with a new slot.
     */
    public void check() throws ImapException {
        if (!usable()) {
            throw new ImapException(
                    ImapException.Kind.CONNECTION,
                    "connection slot " + slot.slot() + " of " + slot.server() + " held by node " + owner.node()
                            + " was not renewed in time (the sync database was slow or unreachable); the session"
                            + " is closed so the cluster's cap of connections to that server holds, and the"
                            + " mailbox is retried",
                    "",
                    null,
                    slot.server());
        }
    }

    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        owner.released(this);
    }

    @Override
    public String toString() {
        return "slot " + slot.slot() + " of " + slot.server();
    }
}
