package io.mxcutover.sync.state;

import io.mxcutover.sync.testing.TestState;
import java.nio.file.Path;
import javax.sql.DataSource;

/** {@link SyncStoreTest}'s contract on a real PostgreSQL server (issue 16: one test class, two engines). */
class SyncStorePostgresIT extends SyncStoreTest {
    @Override
    DataSource state(Path dir) {
        return TestState.postgres("sync_store_contract");
    }
}
