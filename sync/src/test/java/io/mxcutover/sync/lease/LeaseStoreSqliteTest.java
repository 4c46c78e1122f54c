package io.mxcutover.sync.lease;

import io.mxcutover.sync.testing.TestState;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link LeaseContract} on SQLite (the embedded default: one node, but the same rules). */
class LeaseStoreSqliteTest extends LeaseContract {
    private static Path dir;
    private static DataSource ds;

    @BeforeAll
    static void open() throws Exception {
        dir = Files.createTempDirectory("lease-sqlite");
        ds = TestState.open(dir.resolve("sync.db"));
    }

    @AfterAll
    static void remove() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Override
    DataSource dataSource() {
        return ds;
    }

    @Override
    int rounds() {
        return 1;
    }
}
