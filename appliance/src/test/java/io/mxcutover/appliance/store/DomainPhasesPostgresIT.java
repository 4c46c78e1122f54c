package io.mxcutover.appliance.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** {@link DomainPhasesTest}'s contract on a real PostgreSQL server (issue 16: one test class, two engines). */
class DomainPhasesPostgresIT extends DomainPhasesTest {
    private final PostgresStores stores = new PostgresStores("appliance_phases_contract");

    @Override
    Store open(Path db) throws java.io.IOException {
        return stores.open(db);
    }

    @AfterEach
    void closeStores() {
        stores.close();
    }
}
