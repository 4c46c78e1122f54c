package io.mxcutover.sync.state;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Keeps a node that lost a mailbox's lease from writing to that mailbox (package {@code sync.lease}). The store
 * calls {@link #verify} inside each write transaction of a mailbox's journal, before the write; the engine calls
 * {@link #beforeTargetWrite} before each side effect on the new server (APPEND, CREATE, STORE). Both throw
 * {@link LeaseLostException}; both let a write through for a mailbox this node holds no lease on (the admin's
 * writes outside a pass, a service without leases).
 */
public interface WriteFence {
    WriteFence NONE = new WriteFence() {
        @Override
        public void verify(Connection c, String mailbox) {}

        @Override
        public void beforeTargetWrite(String mailbox) {}
    };

    /** Inside the transaction about to write {@code mailbox}'s rows: the lease is still this node's (in the database). */
    void verify(Connection c, String mailbox) throws SQLException;

    /** Before a write on the new server: the lease has time left (on the clock, no database round trip). */
    void beforeTargetWrite(String mailbox);
}
