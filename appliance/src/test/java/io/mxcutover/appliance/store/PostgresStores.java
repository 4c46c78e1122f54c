package io.mxcutover.appliance.store;

import io.mxcutover.it.PostgresContract;
import io.mxcutover.it.PostgresServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The stores of a contract test's PostgreSQL variant ({@code FooPostgresIT extends FooTest}): one database per test
 * class on the shared test server, emptied when a test opens its first store; a second open in the same test (a
 * "reopen") reaches the same rows. {@link #close} closes every pool the test opened.
 */
public final class PostgresStores implements AutoCloseable {
    private final String name;
    private final List<Store> opened = new ArrayList<>();
    private String url;

    public PostgresStores(String name) {
        this.name = name;
    }

    /** A store on this test's database; {@code file}'s directory is the node's local state, as in production. */
    public Store open(Path file) throws IOException {
        PostgresServer pg = PostgresServer.shared();
        if (url == null) {
            // Store.open runs the migrations on the first (empty) database; the rows they seed are restored after
            // every later test's TRUNCATE.
            boolean[] fresh = {false};
            url = PostgresContract.emptyDatabaseUrl(name, ds -> fresh[0] = true);
            if (fresh[0]) {
                Store.open(StoreSettings.postgresql(file, url, pg.user(), pg.password()))
                        .close();
                PostgresContract.recordSeeds(url);
            }
        }
        Store store = Store.open(StoreSettings.postgresql(file, url, pg.user(), pg.password()));
        opened.add(store);
        return store;
    }

    @Override
    public void close() {
        opened.forEach(Store::close);
        opened.clear();
    }
}
