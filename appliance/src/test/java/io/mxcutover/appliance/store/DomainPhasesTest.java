package io.mxcutover.appliance.store;

import static io.mxcutover.appliance.cutover.CutoverPhase.CATCHING_UP;
import static io.mxcutover.appliance.cutover.CutoverPhase.COMPLETED;
import static io.mxcutover.appliance.cutover.CutoverPhase.RELAYING;
import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.audit.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on SQLite; {@code DomainPhasesPostgresIT} runs the same tests on PostgreSQL. */
class DomainPhasesTest {
    /** The store at {@code db}: SQLite here; opening it again reaches the same state. */
    Store open(Path db) throws java.io.IOException {
        return Store.open(db);
    }

    @TempDir
    Path dir;

    final Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void phasesShouldPersistTransitionWithAuditAcrossReopen() throws Exception {
        Path db = dir.resolve("state/mx.db");
        DomainPhases phases = new DomainPhases(open(db), clock);
        assertThat(phases.phase("a.example")).isEqualTo(RELAYING);
        assertThat(phases.transition("a.example", RELAYING, CATCHING_UP, "admin", "go-live", "{}"))
                .isTrue();

        Store reopened = open(db);
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
        Store store = open(dir.resolve("mx.db"));
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
    void storeShouldMigrateToTheLatestVersionOnceAndKeepDataWhenOpenedTwice() throws Exception {
        Path db = dir.resolve("mx.db");
        Store first = open(db);
        first.ping();
        Map<String, List<String>> applied = history(first);
        // every module with migrations on the class path has its own history, at its newest script
        assertThat(applied).containsKeys("appliance", "sync", "dnscheck");
        assertThat(applied.get("appliance")).last().isEqualTo(newestScript("appliance"));
        assertThat(applied.get("sync")).last().isEqualTo(newestScript("sync"));
        assertThat(new DomainPhases(first, clock).transition("a.example", RELAYING, CATCHING_UP, "admin", "x", ""))
                .isTrue();

        Store second = open(db);
        assertThat(history(second)).as("nothing migrated twice").isEqualTo(applied);
        assertThat(new DomainPhases(second, clock).phase("a.example")).isEqualTo(CATCHING_UP);
    }

    /** Applied, successful versions per module, in the order they ran. */
    static Map<String, List<String>> history(Store store) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = store.dataSource().getConnection()) {
            for (String module : Store.MODULES) {
                try (var tables = c.getMetaData().getTables(null, null, "flyway_history_" + module, null)) {
                    if (!tables.next()) continue;
                }
                try (Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT version, success FROM flyway_history_" + module
                                + " WHERE version IS NOT NULL AND version <> '0' ORDER BY installed_rank")) {
                    List<String> versions = new ArrayList<>();
                    while (r.next()) {
                        assertThat(r.getBoolean("success")).isTrue();
                        versions.add(r.getString("version"));
                    }
                    out.put(module, versions);
                }
            }
        }
        return out;
    }

    /** The highest V<n>__ script of a module on the class path. */
    static String newestScript(String module) throws Exception {
        java.net.URI uri =
                Store.class.getClassLoader().getResource("db/" + module).toURI();
        // In a full reactor build the module's scripts are in its jar, not in a directory.
        try (java.nio.file.FileSystem jar = uri.getScheme().equals("jar")
                        ? java.nio.file.FileSystems.newFileSystem(uri, java.util.Map.of())
                        : null;
                Stream<Path> files =
                        Files.list(jar == null ? Path.of(uri) : jar.provider().getPath(uri))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")))
                    .max(Comparator.comparingInt(Integer::parseInt))
                    .orElseThrow();
        }
    }
}
