package io.mxcutover.dnscheck.watch;

import io.mxcutover.it.PostgresContract;
import javax.sql.DataSource;

/** {@link JdbcPollStoreTest}'s contract on a real PostgreSQL server (issue 16: one test class, two engines). */
class JdbcPollStorePostgresIT extends JdbcPollStoreTest {
    @Override
    DataSource state() {
        return PostgresContract.emptyDatabase("dnscheck_poll_contract", JdbcPollStoreTest::migrate);
    }
}
