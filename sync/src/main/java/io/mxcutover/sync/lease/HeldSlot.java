package io.mxcutover.sync.lease;

/** A connection slot this node holds on a server; {@link #close} (when the connection closes) frees it. */
public final class HeldSlot implements AutoCloseable {
    private final NodeLeases owner;
    private final ServerSlotStore.Slot slot;
    private volatile long renewedAt;
    private volatile boolean released;

    HeldSlot(NodeLeases owner, ServerSlotStore.Slot slot, long renewedAt) {
        this.owner = owner;
        this.slot = slot;
        this.renewedAt = renewedAt;
    }

    ServerSlotStore.Slot slot() {
        return slot;
    }

    long renewedAt() {
        return renewedAt;
    }

    void renewed(long now) {
        renewedAt = now;
    }

    boolean released() {
        return released;
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
