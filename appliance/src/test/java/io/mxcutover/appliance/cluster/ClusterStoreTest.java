package io.mxcutover.appliance.cluster;

import io.mxcutover.appliance.store.Store;

/** {@link ClusterStoreContract} on SQLite: two nodes' connections to one file (one writer at a time). */
class ClusterStoreTest extends ClusterStoreContract {
    @Override
    Store node() throws Exception {
        return open(Store.open(dir.resolve("state/mxcutover.db")));
    }
}
