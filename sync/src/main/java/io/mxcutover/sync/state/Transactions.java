package io.mxcutover.sync.state;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The failure path of a JDBC transaction, shared by the stores: the error an admin reads is the one that failed the
 * transaction, not the rollback's. SQLite rolls a transaction back by itself when its COMMIT fails (a full disk, an
 * I/O error); the explicit rollback then fails with "cannot rollback - no transaction is active", and thrown from
 * the catch block it replaced the real reason (seen in StoreFaultsTest's full disk).
 */
public final class Transactions {
    private Transactions() {}

    /**
     * Rolls back after {@code cause} failed the transaction. A rollback that fails too is attached to {@code cause}
     * (suppressed), and the connection, whose transaction state is then unknown, is closed: {@link
     * #restoreAutoCommit} leaves it alone, and a pool replaces it.
     */
    public static void rollbackAfter(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
            try {
                c.close();
            } catch (SQLException | RuntimeException closing) {
                cause.addSuppressed(closing);
            }
        }
    }

    /** Restores auto-commit after a transaction, unless {@link #rollbackAfter} had to close the connection. */
    public static void restoreAutoCommit(Connection c, boolean autoCommit) throws SQLException {
        if (!c.isClosed()) {
            c.setAutoCommit(autoCommit);
        }
    }
}
