package io.mxcutover.sync.lease;

import io.mxcutover.sync.state.StateStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** Which SQL engine a data source is (the sync module gets only a DataSource): PostgreSQL or not (SQLite). */
final class Engines {
    private Engines() {}

    static boolean isPostgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(Locale.ROOT)
                    .contains("postgres");
        } catch (SQLException e) {
            throw new StateStoreException("cannot tell the store's engine: " + e.getMessage(), e);
        }
    }
}
