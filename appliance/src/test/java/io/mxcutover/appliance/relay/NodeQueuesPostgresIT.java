package io.mxcutover.appliance.relay;

import io.mxcutover.appliance.store.PostgresStores;
import io.mxcutover.appliance.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** {@link NodeQueuesTest} on a real PostgreSQL server: the store several relay nodes share. */
class NodeQueuesPostgresIT extends NodeQueuesTest {
    private final PostgresStores stores = new PostgresStores("appliance_node_queues");

    @Override
    Store open(Path db) throws java.io.IOException {
        return stores.open(db);
    }

    @AfterEach
    void closeStores() {
        stores.close();
    }
}
