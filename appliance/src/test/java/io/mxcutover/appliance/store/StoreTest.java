package io.mxcutover.appliance.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

    @TempDir
    Path dir;

    /**
     * The read-then-write transaction of SyncStore.recordListed, while another connection commits between the read
     * and the write: with deferred transactions SQLite answered SQLITE_BUSY at the write (seen once in a CI run).
     */
    @Test
    void aTransactionThatReadsThenWritesIsNotBrokenByAnotherWriter() throws Exception {
        Store store = Store.open(dir.resolve("store.db"));
        try (Connection setup = store.dataSource().getConnection();
                Statement st = setup.createStatement()) {
            st.executeUpdate("CREATE TABLE counter (n INTEGER NOT NULL)");
            st.executeUpdate("INSERT INTO counter VALUES (0)");
        }
        CompletableFuture<Void> other;
        try (Connection a = store.dataSource().getConnection()) {
            a.setAutoCommit(false);
            long read = readCounter(a);
            other = CompletableFuture.runAsync(() -> {
                try (Connection b = store.dataSource().getConnection();
                        Statement st = b.createStatement()) {
                    st.executeUpdate("UPDATE counter SET n = n + 10");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            // Give the other writer the chance to commit first if it could (it must wait for our transaction).
            assertThatThrownBy(() -> other.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            try (Statement st = a.createStatement()) {
                st.executeUpdate("UPDATE counter SET n = " + (read + 1));
            }
            a.commit();
        }
        other.get(15, TimeUnit.SECONDS);
        try (Connection c = store.dataSource().getConnection()) {
            assertThat(readCounter(c)).isEqualTo(11);
        }
    }

    private static long readCounter(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT n FROM counter")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
