package io.mxcutover.sync.lease;

import java.time.Clock;

/**
 * A lease this node holds (a mailbox pass's, or an IDLE watcher's): renewed by {@link NodeLeases} while held,
 * {@link #lost} once a renewal or a fence check found it taken over or expired. {@link #close} releases it.
 */
public final class HeldLease implements AutoCloseable {
    private final NodeLeases owner;
    private final LeaseStore store;
    private final Clock clock;
    private volatile LeaseStore.Lease lease;
    private volatile long renewedAt;
    private volatile boolean lost;
    private volatile boolean released;

    HeldLease(NodeLeases owner, LeaseStore store, LeaseStore.Lease lease, Clock clock, long renewedAt) {
        this.owner = owner;
        this.store = store;
        this.lease = lease;
        this.clock = clock;
        this.renewedAt = renewedAt;
    }

    public String mailbox() {
        return lease.mailbox();
    }

    public long generation() {
        return lease.generation();
    }

    boolean ownedBy(NodeLeases leases) {
        return owner == leases;
    }

    LeaseStore.Lease lease() {
        return lease;
    }

    LeaseStore store() {
        return store;
    }

    long renewedAt() {
        return renewedAt;
    }

    void renewed(long now, long expiresAt) {
        lease = new LeaseStore.Lease(lease.mailbox(), lease.node(), lease.generation(), expiresAt);
        renewedAt = now;
    }

    void markLost() {
        lost = true;
    }

    /** Taken over or expired: whoever holds it writes nothing more for the mailbox. */
    public boolean lost() {
        return lost || LeaseRules.free(lease.expiresAt(), clock.millis());
    }

    /** Whether the holder may still write now: not lost, and more than a third of the period left. */
    public boolean writable() {
        return !lost
                && LeaseRules.writable(
                        lease.expiresAt(), clock.millis(), owner.settings().period());
    }

    boolean released() {
        return released;
    }

    /** Gives the lease up (idempotent): free at once for every node. */
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
        return store.table() + "[" + lease.mailbox() + " gen " + lease.generation() + "]";
    }
}
