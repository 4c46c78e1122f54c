package io.mxcutover.appliance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The contract on SQLite; {@code AuditLogPostgresIT} runs the same tests on PostgreSQL. */
class AuditLogTest {
    /** The store at {@code db}: SQLite here; opening it again reaches the same state. */
    Store open(Path db) throws java.io.IOException {
        return Store.open(db);
    }

    /** An empty database the test migrates itself (to an older version), and the store opened on it. */
    DataSource emptyUnmigrated(Path db) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        return ds;
    }

    Store openUnmigrated(Path db) throws java.io.IOException {
        return Store.open(db);
    }

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @TempDir
    Path dir;

    /** A clock that stands still: every entry has the same millisecond, before and after a restart. */
    final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

    @Test
    void recentShouldListEntriesOfOneMillisecondNewestFirstWhenAcrossRestart() throws Exception {
        Path db = dir.resolve("mx.db");
        AuditLog before = new AuditLog(open(db), clock);
        IntStream.range(0, 20).forEach(i -> before.record("admin", Optional.of("a.example"), "before." + i, "", ""));
        AuditLog after = new AuditLog(open(db), clock);
        IntStream.range(0, 20).forEach(i -> after.record("admin", Optional.of("a.example"), "after." + i, "", ""));

        List<String> expected = new ArrayList<>();
        IntStream.iterate(19, i -> i >= 0, i -> i - 1).forEach(i -> expected.add("after." + i));
        IntStream.iterate(19, i -> i >= 0, i -> i - 1).forEach(i -> expected.add("before." + i));
        assertThat(after.recent(Optional.of("a.example"), 100))
                .extracting(AuditEntry::action)
                .containsExactlyElementsOf(expected);
        assertThat(after.recent(Optional.empty(), 3))
                .extracting(AuditEntry::action)
                .containsExactly("after.19", "after.18", "after.17");
    }

    @Test
    void recentShouldKeepOrderOfEntriesWrittenBeforeSeqColumnWhenStoreIsMigrated() throws Exception {
        Path db = dir.resolve("old.db");
        DataSource ds = emptyUnmigrated(db);
        // The schema as the previous release left it (V4), with ids of its format: millis, counter, random.
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/appliance")
                .table("flyway_history_appliance")
                .target("4")
                .load()
                .migrate();
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO audit_log" + " (id, at_millis, at, actor, action) VALUES (?, ?, ?, 'admin', ?)")) {
            String[][] rows = {
                {"1795255200000-000000002-0f0f0f0f", "0", "second"},
                {"1795255200000-000000001-ffffffff", "0", "first"},
                {"1795255199000-000000009-00000000", "-1000", "earlier"},
                {"1795255201000-000000003-aaaaaaaa", "1000", "later"},
            };
            for (String[] r : rows) {
                Instant at = T0.plusMillis(Long.parseLong(r[1]));
                s.setString(1, r[0]);
                s.setLong(2, at.toEpochMilli());
                s.setString(3, at.toString());
                s.setString(4, r[2]);
                s.executeUpdate();
            }
        }

        AuditLog log = new AuditLog(openUnmigrated(db), clock);
        log.record("admin", Optional.empty(), "new", "", "");

        assertThat(log.recent(Optional.empty(), 10))
                .extracting(AuditEntry::action)
                .containsExactly("later", "new", "second", "first", "earlier");
    }
}
