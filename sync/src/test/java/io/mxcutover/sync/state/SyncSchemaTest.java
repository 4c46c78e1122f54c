package io.mxcutover.sync.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.testing.TestState;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class SyncSchemaTest {
    private static DataSource plain(Path file) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return ds;
    }

    @Test
    void latestVersionShouldNameTheNewestMigrationWhenMigrationsAreAdded() throws IOException, URISyntaxException {
        Path dir =
                Path.of(SyncSchema.class.getClassLoader().getResource("db/sync").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            String newest = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V[0-9._]+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.'))
                    .max(Comparator.comparing(
                            v -> Stream.of(v.split("\\."))
                                    .mapToInt(Integer::parseInt)
                                    .toArray(),
                            java.util.Arrays::compare))
                    .orElseThrow();
            assertThat(SyncSchema.LATEST_VERSION).isEqualTo(newest);
        }
    }

    @Test
    void isCurrentShouldBeFalseWhenTheStoreIsNew(@TempDir Path dir) {
        assertThat(SyncSchema.isCurrent(plain(dir.resolve("new.db")))).isFalse();
    }

    @Test
    void isCurrentShouldBeTrueWhenFlywayHasMigrated(@TempDir Path dir) {
        Path file = dir.resolve("s.db");
        TestState.open(file);
        assertThat(SyncSchema.isCurrent(plain(file))).isTrue();
    }

    @Test
    void isCurrentShouldBeFalseWhenAMigrationFailed(@TempDir Path dir) throws SQLException {
        Path file = dir.resolve("s.db");
        TestState.open(file);
        try (Connection c = plain(file).getConnection();
                Statement s = c.createStatement()) {
            s.execute("UPDATE " + SyncSchema.HISTORY_TABLE + " SET success = 0");
        }
        assertThat(SyncSchema.isCurrent(plain(file))).isFalse();
    }

    @Test
    void isCurrentShouldBeFalseWhenTheStoreHasANewerVersion(@TempDir Path dir) throws SQLException {
        Path file = dir.resolve("s.db");
        TestState.open(file);
        try (Connection c = plain(file).getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO " + SyncSchema.HISTORY_TABLE + " (installed_rank, version, description, type, script,"
                            + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL', 'V99__f.sql',"
                            + " 0, 'x', 0, 1)");
        }
        assertThat(SyncSchema.isCurrent(plain(file))).isFalse();
    }
}
