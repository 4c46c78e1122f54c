package io.mxcutover.appliance.store;

import static io.mxcutover.appliance.cutover.CutoverPhase.CATCHING_UP;
import static io.mxcutover.appliance.cutover.CutoverPhase.RELAYING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.health.HealthCheck;
import io.mxcutover.appliance.ApiError;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state store (SQLite) damaged, locked by another process, or on a full disk: the health check
 * {@code store} turns red and says which, a change that cannot be written fails with {@link StoreException}
 * (503 through the API) and changes nothing, and what was stored before is still there afterwards.
 */
class StoreFaultsTest {
    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

    static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Test
    void damagedFileShouldTurnHealthRedAndBeLeftAsItIs() throws Exception {
        Path db = dir.resolve("mx.db");
        // Closed before JUnit deletes the directory: a pool refilling itself in the background must not recreate it.
        try (Store store = Store.open(db)) {
            damagedFileShouldTurnHealthRedAndBeLeftAsItIs(db, store);
        }
    }

    private void damagedFileShouldTurnHealthRedAndBeLeftAsItIs(Path db, Store store) throws Exception {
        new DomainPhases(store, clock).transition("a.example", RELAYING, CATCHING_UP, "admin", "go", "");
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        try (var ch = Files.newByteChannel(db, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(
                    "this is no longer an SQLite header, sorry".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        byte[] damaged = Files.readAllBytes(db);

        HealthCheck.Result r = new StoreHealthCheck(store).execute();
        assertThat(r.isHealthy()).isFalse();
        assertThat(r.getMessage()).contains("cannot be read (damaged file?)", "not a database", "restore the file");
        assertThatThrownBy(() -> Store.open(db)).hasMessageContaining("not a database");
        assertThat(Files.readAllBytes(db))
                .as("nothing overwrote the damaged file")
                .isEqualTo(damaged);
    }

    @Test
    void lockedFileShouldTurnHealthRedUntilTheLockIsReleased() throws Exception {
        Path db = dir.resolve("mx.db");
        try (Store store = Store.open(db)) {
            lockedFileShouldTurnHealthRedUntilTheLockIsReleased(db, store);
        }
    }

    private static void lockedFileShouldTurnHealthRedUntilTheLockIsReleased(Path db, Store store) throws Exception {
        StoreHealthCheck health = new StoreHealthCheck(store);
        assertThat(health.execute().isHealthy()).isTrue();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE"); // another process (say an sqlite3 shell) holds the write lock
            HealthCheck.Result r = health.execute();
            assertThat(r.isHealthy()).isFalse();
            assertThat(r.getMessage()).contains("cannot be written", "locked");
            s.execute("ROLLBACK");
        }
        assertThat(health.execute().isHealthy()).isTrue();
    }

    @Test
    void fullDiskShouldTurnHealthRedFailTheChangeAndLoseNothing() throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        // CI runs as root: a real 4 MB file system that really fills up
        assertThat(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", state.toString()))
                .as("mounting a tmpfs (needs root)")
                .isZero();
        try (Store store = Store.open(state.resolve("mx.db"))) {
            DomainPhases phases = new DomainPhases(store, clock);
            StoreHealthCheck health = new StoreHealthCheck(store);
            assertThat(phases.transition("a.example", RELAYING, CATCHING_UP, "admin", "go", ""))
                    .isTrue();
            assertThat(health.execute().isHealthy()).isTrue();

            Path filler = state.resolve("filler");
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] chunk = new byte[64 * 1024];
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                assertThat(e.getMessage()).contains("No space left");
            }
            HealthCheck.Result r = health.execute();
            assertThat(r.isHealthy()).isFalse();
            assertThat(r.getMessage()).contains("disk is full");
            StoreException failed = null;
            try {
                // enough rows that SQLite needs new pages whatever was free in the file
                for (int i = 0; i < 2000 && failed == null; i++) {
                    phases.transition("d" + i + ".example", RELAYING, CATCHING_UP, "admin", "x".repeat(500), "");
                }
            } catch (StoreException e) {
                failed = e;
            }
            assertThat(failed).as("a change on a full disk fails").isNotNull();
            // SQLite's own words: SQLITE_FULL, or an I/O error where it could not grow its shared memory
            assertThat(failed.getMessage()).contains("state store failed moving domain");
            // the reason SQLite gave, not the failed rollback after it (SQLite had rolled the COMMIT back itself)
            assertThat(failed.getMessage()).doesNotContain("no transaction is active");
            System.out.println("store disk-full test: the change failed with: " + failed.getMessage());
            Response mapped = new StoreExceptionMapper().toResponse(failed);
            assertThat(mapped.getStatus()).isEqualTo(503);
            assertThat(((ApiError) mapped.getEntity()).details().get(0)).contains("nothing was changed");
            // Reads may fail too while the disk is full (WAL mode: SQLite cannot grow its shared-memory
            // file); they fail with the same StoreException (503), they never answer wrongly.
            try {
                assertThat(phases.phase("a.example")).isEqualTo(CATCHING_UP);
            } catch (StoreException e) {
                assertThat(e.getMessage()).contains("state store failed reading the phase of domain a.example");
            }

            Files.delete(filler); // space returns
            assertThat(health.execute().isHealthy()).isTrue();
            assertThat(phases.phase("a.example")).isEqualTo(CATCHING_UP);
            assertThat(phases.transition("b.example", RELAYING, CATCHING_UP, "admin", "go", ""))
                    .isTrue();
            try (Store again = Store.open(state.resolve("mx.db"))) {
                DomainPhases reopened = new DomainPhases(again, clock);
                assertThat(reopened.phase("a.example")).isEqualTo(CATCHING_UP);
                assertThat(reopened.phase("b.example")).isEqualTo(CATCHING_UP);
            }
        } finally {
            if (run("umount", state.toString()) != 0) {
                run("umount", "-l", state.toString());
            }
        }
    }
}
