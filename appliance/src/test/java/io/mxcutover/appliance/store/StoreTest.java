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

    /** Store.LATEST_VERSIONS lets a current store skip Flyway: it must name each module's newest migration. */
    @Test
    void latestVersionsShouldNameTheNewestMigrationOfEachModule() throws Exception {
        for (String module : Store.MODULES) {
            java.net.URL dir = Store.class.getClassLoader().getResource("db/" + module);
            if (dir == null) {
                assertThat(Store.LATEST_VERSIONS).doesNotContainKey(module);
                continue;
            }
            java.util.List<String> names = new java.util.ArrayList<>();
            if (dir.getProtocol().equals("jar")) {
                java.net.JarURLConnection jar = (java.net.JarURLConnection) dir.openConnection();
                try (java.util.jar.JarFile f = jar.getJarFile()) {
                    f.stream()
                            .map(java.util.jar.JarEntry::getName)
                            .filter(n -> n.startsWith("db/" + module + "/"))
                            .map(n -> n.substring(n.lastIndexOf('/') + 1))
                            .forEach(names::add);
                }
            } else {
                try (var files = java.nio.file.Files.list(Path.of(dir.toURI()))) {
                    files.map(f -> f.getFileName().toString()).forEach(names::add);
                }
            }
            int newest = names.stream()
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .max()
                    .orElseThrow();
            assertThat(Store.LATEST_VERSIONS.get(module)).as(module).isEqualTo(Integer.toString(newest));
        }
    }

    /** The skip trusts only a clean history: a failed migration on record goes through Flyway, which says so. */
    @Test
    void openShouldLetFlywayReportWhenTheHistoryShowsAFailedMigration() throws Exception {
        Path file = dir.resolve("store.db");
        Store.open(file).close();
        Store.open(file).close(); // current: opens without Flyway
        try (Store store = Store.open(file);
                Connection c = store.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE flyway_history_appliance SET success = 0 WHERE version = '"
                    + Store.LATEST_VERSIONS.get("appliance") + "'");
        }

        assertThatThrownBy(() -> Store.open(file)).hasMessageContaining("failed");
    }

    /**
     * A pooled SQLite connection that saw an SQLite error is not handed out again (after a full disk its transaction
     * state is wrong: StoreFaultsTest); one that only hit a constraint (a duplicate key) is kept.
     */
    @Test
    void aPooledConnectionShouldBeReplacedAfterAnSqliteErrorButKeptAfterADuplicateKey() throws Exception {
        try (Store store = Store.open(dir.resolve("store.db"))) {
            Object first;
            try (Connection c = store.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                first = c.unwrap(org.sqlite.SQLiteConnection.class);
                s.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
                s.execute("INSERT INTO t VALUES ('a')");
                SQLException dup = org.junit.jupiter.api.Assertions.assertThrows(
                        SQLException.class, () -> s.execute("INSERT INTO t VALUES ('a')"));
                assertThat(Store.duplicateKey(dup)).isTrue();
            }
            Object again;
            try (Connection c = store.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                again = c.unwrap(org.sqlite.SQLiteConnection.class);
                assertThat(again).as("kept after a duplicate key").isSameAs(first);
                assertThatThrownBy(() -> s.execute("SELECT * FROM no_such_table"))
                        .isInstanceOf(SQLException.class);
            }
            try (Connection c = store.dataSource().getConnection()) {
                assertThat(c.unwrap(org.sqlite.SQLiteConnection.class))
                        .as("replaced after an SQLite error")
                        .isNotSameAs(again);
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }
}
