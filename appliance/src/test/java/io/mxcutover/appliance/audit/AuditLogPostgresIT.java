package io.mxcutover.appliance.audit;

import io.mxcutover.appliance.store.PostgresStores;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreSettings;
import io.mxcutover.it.PostgresContract;
import io.mxcutover.it.PostgresServer;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** {@link AuditLogTest}'s contract on a real PostgreSQL server (issue 16: one test class, two engines). */
class AuditLogPostgresIT extends AuditLogTest {
    private final PostgresStores stores = new PostgresStores("appliance_audit_contract");

    @Override
    Store open(Path db) throws java.io.IOException {
        return stores.open(db);
    }

    private String unmigrated;

    @Override
    DataSource emptyUnmigrated(Path db) {
        unmigrated = PostgresServer.shared().newDatabase("appliance_audit_v4");
        return PostgresContract.dataSource(unmigrated);
    }

    @Override
    Store openUnmigrated(Path db) throws java.io.IOException {
        PostgresServer pg = PostgresServer.shared();
        Store store = Store.open(StoreSettings.postgresql(db, unmigrated, pg.user(), pg.password()));
        opened.add(store);
        return store;
    }

    private final java.util.List<Store> opened = new java.util.ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.close();
        opened.forEach(Store::close);
    }
}
