package io.mxcutover.appliance.store;

import static io.mxcutover.appliance.cutover.CutoverPhase.CATCHING_UP;
import static io.mxcutover.appliance.cutover.CutoverPhase.COMPLETED;
import static io.mxcutover.appliance.cutover.CutoverPhase.RELAYING;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.audit.AuditLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainPhasesTest {
    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void phasesShouldPersistTransitionWithAuditAcrossReopen() throws Exception {
        Path db = dir.resolve("state/mx.db");
        DomainPhases phases = new DomainPhases(Store.open(db), clock);
        assertThat(phases.phase("a.example")).isEqualTo(RELAYING);
        assertThat(phases.transition("a.example", RELAYING, CATCHING_UP, "admin", "go-live", "{}"))
                .isTrue();

        Store reopened = Store.open(db);
        assertThat(new DomainPhases(reopened, clock).phase("a.example")).isEqualTo(CATCHING_UP);
        assertThat(new AuditLog(reopened, clock).recent(Optional.of("a.example"), 10))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("admin");
                    assertThat(e.fromPhase()).contains("RELAYING");
                    assertThat(e.toPhase()).contains("CATCHING_UP");
                    assertThat(e.reason()).isEqualTo("go-live");
                    assertThat(e.at()).isEqualTo(clock.instant());
                });
    }

    @Test
    void transitionShouldWriteNothingWhenPhaseMovedMeanwhile() throws Exception {
        Store store = Store.open(dir.resolve("mx.db"));
        DomainPhases phases = new DomainPhases(store, clock);
        assertThat(phases.transition("a.example", RELAYING, CATCHING_UP, "admin", "first", ""))
                .isTrue();
        assertThat(phases.transition("a.example", RELAYING, CATCHING_UP, "admin", "second", ""))
                .isFalse();
        assertThat(phases.transition("a.example", CATCHING_UP, COMPLETED, "window", "closed", ""))
                .isTrue();
        assertThat(phases.all()).containsEntry("a.example", COMPLETED);
        assertThat(new AuditLog(store, clock).recent(Optional.empty(), 10)).hasSize(2);
    }

    @Test
    void storeShouldMigrateIdempotentlyWhenOpenedTwice() throws Exception {
        Path db = dir.resolve("mx.db");
        Store.open(db).ping();
        Store.open(db).ping();
    }
}
