package io.mxcutover.appliance.cutover;

import io.mxcutover.appliance.store.PostgresStores;
import io.mxcutover.appliance.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** {@link CutoverRecordsTest}'s contract on a real PostgreSQL server (issue 16: one test class, two engines). */
class CutoverRecordsPostgresIT extends CutoverRecordsTest {
    private final PostgresStores stores = new PostgresStores("appliance_cutover_contract");

    @Override
    Store open(Path db) throws java.io.IOException {
        return stores.open(db);
    }

    @AfterEach
    void closeStores() {
        stores.close();
    }
}
