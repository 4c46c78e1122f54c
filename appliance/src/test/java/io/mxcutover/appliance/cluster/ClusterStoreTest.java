package io.mxcutover.appliance.cluster;

import io.mxcutover.appliance.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClusterStoreContract} on SQLite: two nodes' connections to one file (one writer at a time). */
class ClusterStoreTest extends ClusterStoreContract {
    /** One file for the class (its tests use their own domains and node ids): the migrations run once. */
    @TempDir
    static Path shared;

    @Override
    Store node() throws Exception {
        return open(Store.open(shared.resolve("state/mxcutover.db")));
    }
}
