package io.mxcutover.appliance.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Copies one node's whole state from a SQLite store into a PostgreSQL store ({@code ./mxcutover store migrate}), then
 * verifies the copy. Both stores are opened with {@link Store#open}, so both schemas are at this build's newest
 * migrations before a row moves (the SQLite file is migrated first if an older build wrote it; the target gets every
 * module's migrations and its own Flyway histories, which must then list the same versions as the source's).
 *
 * <p>Every table but the Flyway histories is copied, whatever module owns it (a table a later migration adds is
 * copied without a change here), parents before children of a foreign key, in one transaction on the target: a
 * failed copy leaves the target as it was. The source is read in one transaction too (one snapshot).
 *
 * <p>The verification pass reads both stores again: per table the row count and a checksum of the rows that does not
 * depend on their order (the two engines sort text differently): each row is read as text the same way on both sides
 * (numbers as decimal integers, SMALLINT flags as numbers, NULL as a marker), hashed with SHA-256, and the first 16
 * bytes of the hashes are summed.
 */
public final class StoreCopy {

    /** The Flyway histories are the target's own (its migrations ran); compared, never copied. */
    static final String HISTORY_PREFIX = "flyway_history_";
    /**
     * Tables whose rows a migration inserts into every new store (appliance V8: the audit sequence's row, the DNS
     * watcher's leader lease row): not "data" of a target, replaced by the source's rows.
     */
    static final java.util.Set<String> SEEDED = java.util.Set.of("audit_seq", "cluster_lease");

    private static final int BATCH = 1000;

    /** One table's figures. */
    public record TableCount(String table, long rows) {}

    /** One table as the verification pass saw it on both sides. */
    public record TableCheck(String table, long sourceRows, long targetRows, String sourceSum, String targetSum) {
        public boolean matches() {
            return sourceRows == targetRows && sourceSum.equals(targetSum);
        }
    }

    /** Why the copy did not start (nothing was written). */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private StoreCopy() {}

    /**
     * Copies every table of {@code source} into {@code target}, in one transaction. Refused (nothing written) when
     * the target already holds rows and {@code force} is false; with {@code force} those rows are deleted first (in
     * the same transaction). Refused too when the two stores' schemas differ (a table or a migration on one side
     * only).
     */
    public static List<TableCount> copy(Store source, Store target, boolean force) throws SQLException {
        try (Connection from = source.dataSource().getConnection();
                Connection to = target.dataSource().getConnection()) {
            from.setAutoCommit(false);
            to.setAutoCommit(false);
            try {
                List<String> tables = sameSchema(from, to);
                Map<String, Long> already = new TreeMap<>();
                for (String t : tables) {
                    long n = count(to, t);
                    if (n > 0 && !SEEDED.contains(t.toLowerCase(java.util.Locale.ROOT))) {
                        already.put(t, n);
                    }
                }
                if (!already.isEmpty()) {
                    if (!force) {
                        throw new Refused("the target " + target.settings().describe() + " already holds rows ("
                                + already + "); nothing was copied. Use a new, empty database, or --force to"
                                + " delete those rows and copy (in one transaction)");
                    }
                    try (Statement s = to.createStatement()) {
                        s.execute("TRUNCATE " + String.join(", ", tables));
                    }
                } else {
                    // The target's own seed rows give way to the source's (which its migrations seeded too).
                    List<String> seeded = tables.stream()
                            .filter(t -> SEEDED.contains(t.toLowerCase(java.util.Locale.ROOT)))
                            .toList();
                    if (!seeded.isEmpty()) {
                        try (Statement s = to.createStatement()) {
                            for (String t : seeded) {
                                s.execute("DELETE FROM " + t);
                            }
                        }
                    }
                }
                List<TableCount> counts = new ArrayList<>();
                for (String t : tables) {
                    counts.add(new TableCount(t, copyTable(from, to, t)));
                }
                advanceSequences(to, tables);
                to.commit();
                from.commit();
                counts.sort(java.util.Comparator.comparing(TableCount::table));
                return counts;
            } catch (SQLException | RuntimeException e) {
                to.rollback();
                from.rollback();
                throw e;
            }
        }
    }

    /** Row counts and checksums of every table on both sides (the verification pass). */
    public static List<TableCheck> verify(Store source, Store target) throws SQLException {
        try (Connection from = source.dataSource().getConnection();
                Connection to = target.dataSource().getConnection()) {
            from.setAutoCommit(false);
            to.setAutoCommit(false);
            try {
                List<String> tables = new ArrayList<>(sameSchema(from, to));
                tables.sort(null);
                List<TableCheck> out = new ArrayList<>();
                for (String t : tables) {
                    List<Column> columns = columns(to, t);
                    Sum a = checksum(from, t, columns);
                    Sum b = checksum(to, t, columns);
                    out.add(new TableCheck(t, a.rows, b.rows, a.hex(), b.hex()));
                }
                return out;
            } finally {
                to.rollback();
                from.rollback();
            }
        }
    }

    /** The tables to copy, parents first; refused when the two schemas differ. */
    private static List<String> sameSchema(Connection from, Connection to) throws SQLException {
        Set<String> source = tables(from);
        Set<String> target = tables(to);
        Set<String> onlySource = new LinkedHashSet<>(source);
        onlySource.removeAll(target);
        Set<String> onlyTarget = new LinkedHashSet<>(target);
        onlyTarget.removeAll(source);
        if (!onlySource.isEmpty() || !onlyTarget.isEmpty()) {
            throw new Refused("the two stores' schemas differ (only in the source: " + onlySource
                    + "; only in the target: " + onlyTarget + "): run store migrate with the build that wrote the"
                    + " source, or a newer one");
        }
        for (String history : source) {
            if (history.startsWith(HISTORY_PREFIX)) {
                List<String> a = migrations(from, history);
                List<String> b = migrations(to, history);
                if (!a.equals(b)) {
                    throw new Refused(history + " differs: source " + a + ", target " + b
                            + "; the target must be a new database, or one migrated by this same build");
                }
            }
        }
        List<String> data =
                source.stream().filter(t -> !t.startsWith(HISTORY_PREFIX)).toList();
        return parentsFirst(to, data);
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> out = new java.util.TreeSet<>();
        boolean sqlite = isSqlite(c);
        String sql = sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                        + " AND table_type = 'BASE TABLE'";
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** The successful versioned migrations of a history ({@code version:checksum}), in order. */
    private static List<String> migrations(Connection c, String history) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT version, checksum FROM " + history
                        + " WHERE success AND version IS NOT NULL AND type <> 'BASELINE' ORDER BY installed_rank")) {
            while (r.next()) {
                out.add(r.getString(1) + ":" + r.getString(2));
            }
        }
        return out;
    }

    /** Orders tables so that a table a foreign key points to comes before the tables pointing to it. */
    private static List<String> parentsFirst(Connection to, List<String> tables) throws SQLException {
        DatabaseMetaData meta = to.getMetaData();
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (String t : tables) {
            Set<String> p = new LinkedHashSet<>();
            try (ResultSet r = meta.getImportedKeys(null, null, t)) {
                while (r.next()) {
                    String parent = r.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!parent.equals(t)) {
                        p.add(parent);
                    }
                }
            }
            parents.put(t, p);
        }
        List<String> out = new ArrayList<>();
        while (out.size() < tables.size()) {
            int before = out.size();
            for (String t : tables) {
                if (!out.contains(t) && out.containsAll(parents.get(t))) {
                    out.add(t);
                }
            }
            if (out.size() == before) {
                throw new IllegalStateException("foreign keys form a cycle among " + tables);
            }
        }
        return out;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** A column of the target, with the JDBC type values are converted to. */
    private record Column(String name, int type) {}

    private static List<Column> columns(Connection to, String table) throws SQLException {
        List<Column> out = new ArrayList<>();
        try (ResultSet r = to.getMetaData().getColumns(null, null, table, null)) {
            while (r.next()) {
                out.add(new Column(r.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), r.getInt("DATA_TYPE")));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no columns found for table " + table + " on the target");
        }
        return out;
    }

    private static long copyTable(Connection from, Connection to, String table) throws SQLException {
        List<Column> columns = columns(to, table);
        String names = String.join(", ", columns.stream().map(Column::name).toList());
        String marks = String.join(", ", columns.stream().map(c -> "?").toList());
        long rows = 0;
        try (Statement read = from.createStatement();
                ResultSet r = read.executeQuery("SELECT " + names + " FROM " + table);
                PreparedStatement write =
                        to.prepareStatement("INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")")) {
            while (r.next()) {
                for (int i = 0; i < columns.size(); i++) {
                    bind(write, i + 1, columns.get(i), r.getObject(i + 1));
                }
                write.addBatch();
                if (++rows % BATCH == 0) {
                    write.executeBatch();
                }
            }
            if (rows % BATCH != 0) {
                write.executeBatch();
            }
        }
        return rows;
    }

    /** Converts what SQLite holds (its dynamic types) to the target column's type. */
    private static void bind(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, column.type());
            return;
        }
        switch (column.type()) {
            case Types.BIGINT -> ps.setLong(index, asLong(value));
            case Types.INTEGER, Types.SMALLINT, Types.TINYINT -> ps.setInt(index, Math.toIntExact(asLong(value)));
            case Types.BIT, Types.BOOLEAN -> ps.setBoolean(index, asLong(value) != 0);
            case Types.DOUBLE, Types.REAL, Types.FLOAT, Types.NUMERIC, Types.DECIMAL ->
                ps.setDouble(index, ((Number) value).doubleValue());
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
                ps.setBytes(
                        index,
                        value instanceof byte[] b ? b : String.valueOf(value).getBytes(StandardCharsets.UTF_8));
            default ->
                ps.setString(
                        index, value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value.toString());
        }
    }

    private static long asLong(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        return Long.parseLong(value.toString().strip());
    }

    /**
     * A column filled by a sequence (an identity or serial column a later migration might add) continues after the
     * copied rows, not at 1.
     */
    private static void advanceSequences(Connection to, List<String> tables) throws SQLException {
        if (isSqlite(to)) {
            return;
        }
        List<String[]> serial = new ArrayList<>();
        try (Statement s = to.createStatement();
                ResultSet r = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = current_schema()"
                        + " AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')")) {
            while (r.next()) {
                serial.add(new String[] {r.getString(1), r.getString(2)});
            }
        }
        for (String[] tc : serial) {
            if (!tables.contains(tc[0].toLowerCase(Locale.ROOT))) {
                continue;
            }
            try (PreparedStatement ps = to.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?),"
                    + " COALESCE((SELECT MAX(" + tc[1] + ") FROM " + tc[0] + "), 0) + 1, false)")) {
                ps.setString(1, tc[0]);
                ps.setString(2, tc[1]);
                ps.execute();
            }
        }
    }

    private static boolean isSqlite(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("sqlite");
    }

    /** An order-independent sum of the rows' hashes. */
    private static final class Sum {
        long rows;
        long high;
        long low;

        String hex() {
            return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
        }
    }

    private static Sum checksum(Connection c, String table, List<Column> columns) throws SQLException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String names = String.join(", ", columns.stream().map(Column::name).toList());
        Sum sum = new Sum();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT " + names + " FROM " + table)) {
            StringBuilder row = new StringBuilder();
            while (r.next()) {
                row.setLength(0);
                for (int i = 0; i < columns.size(); i++) {
                    row.append(canonical(columns.get(i), r.getObject(i + 1))).append('\u0001');
                }
                byte[] h = sha.digest(row.toString().getBytes(StandardCharsets.UTF_8));
                sum.rows++;
                sum.high += java.nio.ByteBuffer.wrap(h, 0, 8).getLong();
                sum.low += java.nio.ByteBuffer.wrap(h, 8, 8).getLong();
            }
        }
        return sum;
    }

    /** A value as text, the same for both engines' readings of the same stored value. */
    private static String canonical(Column column, Object value) {
        if (value == null) {
            return "\u0000NULL";
        }
        return switch (column.type()) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.BIT, Types.BOOLEAN ->
                Long.toString(asLong(value));
            case Types.DOUBLE, Types.REAL, Types.FLOAT, Types.NUMERIC, Types.DECIMAL ->
                Double.toString(((Number) value).doubleValue());
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
                HexFormat.of()
                        .formatHex(
                                value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8));
            default -> value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : Objects.toString(value);
        };
    }
}
