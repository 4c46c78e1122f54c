package io.mxcutover.sync.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.testing.TestState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract on SQLite; {@code BatchStorePostgresIT} runs the same tests on PostgreSQL. */
class BatchStoreTest {
    /** A migrated, empty sync state for one test. */
    DataSource state(Path dir) {
        return TestState.open(dir.resolve("s.db"));
    }

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void assignShouldCreateBatchesAndMoveMailboxesWhenImportedAgain(@TempDir Path dir) {
        DataSource ds = state(dir);
        BatchStore store = new BatchStore(ds, CLOCK);
        store.assign(Map.of("anna@example.org", "pilot", "ben@example.org", "wave-2"), "admin");
        assertThat(store.batches("example.org")).extracting(Batch::name).containsExactlyInAnyOrder("pilot", "wave-2");
        assertThat(store.batches("example.org"))
                .allSatisfy(b -> assertThat(b.state()).isEqualTo(BatchState.NEW));
        assertThat(store.membership("anna@example.org")).contains(new BatchStore.Membership("pilot", BatchState.NEW));

        store.assign(Map.of("ben@example.org", "pilot", "anna@example.org", ""), "admin");
        assertThat(store.members("example.org", "pilot")).containsExactly("ben@example.org");
        assertThat(store.membership("anna@example.org")).isEmpty();
        assertThat(store.members("example.org", "wave-2")).isEmpty();
    }

    @Test
    void transitionShouldSetTimesAndRefuseStaleStateWhenTwoAdminsAct(@TempDir Path dir) {
        DataSource ds = state(dir);
        BatchStore store = new BatchStore(ds, CLOCK);
        store.assign(Map.of("anna@example.org", "pilot"), "admin");
        assertThat(store.transition("example.org", "pilot", BatchState.NEW, BatchState.STARTED, "admin"))
                .isTrue();
        assertThat(store.transition("example.org", "pilot", BatchState.NEW, BatchState.STARTED, "other"))
                .isFalse();
        assertThat(store.transition("example.org", "pilot", BatchState.STARTED, BatchState.PAUSED, "admin"))
                .isTrue();
        Batch paused = store.batch("example.org", "Pilot").orElseThrow();
        assertThat(paused.startedAt()).contains(CLOCK.instant());
        assertThat(paused.pausedAt()).contains(CLOCK.instant());
        assertThat(store.transition("example.org", "pilot", BatchState.PAUSED, BatchState.COMPLETED, "admin"))
                .isTrue();
        Batch completed = store.batch("example.org", "pilot").orElseThrow();
        assertThat(completed.pausedAt()).isEmpty();
        assertThat(completed.finalPassRunning()).isTrue();
        store.finalPassDone("example.org", "pilot", CLOCK.instant(), "[]");
        assertThat(store.batch("example.org", "pilot").orElseThrow().finalPassRunning())
                .isFalse();
        assertThat(store.copiedTotals("example.org", "pilot")).containsExactly(0, 0);
    }
}
