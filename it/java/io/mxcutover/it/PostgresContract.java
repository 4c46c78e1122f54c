package io.mxcutover.it;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The PostgreSQL side of the store contract tests (one test class, two engines: {@code FooTest} on SQLite,
 * {@code FooPostgresIT extends FooTest} here). A test class gets one database of the {@link PostgresServer#shared
 * shared server}, migrated once; every later test of the class starts with every table emptied (TRUNCATE, which
 * costs milliseconds where a fresh database and its migrations cost a second).
 */
public final class PostgresContract {
    private static final Map<String, String> DATABASES = new ConcurrentHashMap<>();
    /** Per database: the rows its migrations inserted (e.g. the appliance's audit_seq and cluster_lease rows). */
    private static final Map<String, List<Seed>> SEEDS = new ConcurrentHashMap<>();

    private record Seed(String table, List<String> columns, List<Object> values) {}

    private PostgresContract() {}

    /**
     * The database of {@code name} (a test class), created and passed to {@code migrate} on first use, else with
     * its rows deleted (the schema and the Flyway histories stay).
     */
    public static DataSource emptyDatabase(String name, Consumer<DataSource> migrate) {
        return dataSource(emptyDatabaseUrl(name, migrate));
    }

    /** {@link #emptyDatabase}'s JDBC URL, for code that opens its own connections (the appliance's store). */
    public static String emptyDatabaseUrl(String name, Consumer<DataSource> migrate) {
        PostgresServer pg = PostgresServer.shared();
        boolean[] created = {false};
        String url = DATABASES.computeIfAbsent(name, n -> {
            created[0] = true;
            return pg.newDatabase(n);
        });
        DataSource ds = dataSource(url);
        if (created[0]) {
            migrate.accept(ds);
            SEEDS.put(url, seeds(ds));
        } else {
            truncate(ds);
            reseed(ds, SEEDS.getOrDefault(url, List.of()));
        }
        return url;
    }

    /**
     * A plain (unpooled) data source of {@code url} as the shared server's user, through {@link DriverManager}: the
     * driver is a test dependency of the modules that use this, not of every module compiling {@code it/java}.
     */
    public static DataSource dataSource(String url) {
        PostgresServer pg = PostgresServer.shared();
        return new UrlDataSource(url, pg.user(), pg.password());
    }

    private record UrlDataSource(String url, String user, String password) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        @Override
        public Connection getConnection(String u, String p) throws SQLException {
            return DriverManager.getConnection(url, u, p);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }

        /** The password is not printed (the suite's logs are checked for secrets). */
        @Override
        public String toString() {
            return "UrlDataSource[" + url + ", user " + user + "]";
        }
    }

    /**
     * For callers whose migrations run after {@link #emptyDatabaseUrl} (a no-op {@code migrate}, then their own
     * store's open): records the rows of the now migrated, still unused database as its seed rows.
     */
    public static void recordSeeds(String url) {
        SEEDS.put(url, seeds(dataSource(url)));
    }

    /** Every row of a freshly migrated database: what its migrations seeded, restored after each TRUNCATE. */
    private static List<Seed> seeds(DataSource ds) {
        List<Seed> seeds = new ArrayList<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (String table : tables(s)) {
                try (ResultSet r = c.createStatement().executeQuery("SELECT * FROM " + table)) {
                    int n = r.getMetaData().getColumnCount();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        columns.add(r.getMetaData().getColumnName(i));
                    }
                    while (r.next()) {
                        List<Object> values = new ArrayList<>();
                        for (int i = 1; i <= n; i++) {
                            values.add(r.getObject(i));
                        }
                        seeds.add(new Seed(table, columns, values));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the test database's seeded rows: " + e.getMessage(), e);
        }
        return seeds;
    }

    private static void reseed(DataSource ds, List<Seed> seeds) {
        try (Connection c = ds.getConnection()) {
            for (Seed seed : seeds) {
                String sql = "INSERT INTO " + seed.table() + " (" + String.join(", ", seed.columns()) + ") VALUES ("
                        + String.join(
                                ", ",
                                java.util.Collections.nCopies(seed.columns().size(), "?")) + ")";
                try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < seed.values().size(); i++) {
                        ps.setObject(i + 1, seed.values().get(i));
                    }
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot restore the test database's seeded rows: " + e.getMessage(), e);
        }
    }

    private static List<String> tables(Statement s) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                + " AND table_name NOT LIKE 'flyway_history_%'")) {
            while (r.next()) {
                tables.add(r.getString(1));
            }
        }
        return tables;
    }

    private static void truncate(DataSource ds) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            List<String> tables = tables(s);
            if (!tables.isEmpty()) {
                s.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the test database: " + e.getMessage(), e);
        }
    }
}
