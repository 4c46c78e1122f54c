package io.mxcutover.sync.lease;

import com.zaxxer.hikari.HikariDataSource;
import io.mxcutover.sync.testing.TestPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link LeaseContract} on a real PostgreSQL (several nodes: READ COMMITTED, SKIP LOCKED). */
class LeaseStorePostgresIT extends LeaseContract {
    private static HikariDataSource ds;

    @BeforeAll
    static void open() {
        ds = TestPostgres.open("sync_lease_contract");
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Override
    DataSource dataSource() {
        return ds;
    }

    @Override
    int rounds() {
        return 20;
    }
}
