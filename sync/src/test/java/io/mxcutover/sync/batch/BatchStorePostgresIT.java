package io.mxcutover.sync.batch;

import io.mxcutover.sync.testing.TestState;
import java.nio.file.Path;
import javax.sql.DataSource;

/** {@link BatchStoreTest}'s contract on a real PostgreSQL server (issue 16: one test class, two engines). */
class BatchStorePostgresIT extends BatchStoreTest {
    @Override
    DataSource state(Path dir) {
        return TestState.postgres("sync_batch_contract");
    }
}
