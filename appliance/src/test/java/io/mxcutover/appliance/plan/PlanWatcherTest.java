package io.mxcutover.appliance.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanWatcherTest {
    @TempDir
    Path dir;

    static String plan(String... domains) {
        StringBuilder sb = new StringBuilder("domains:\n");
        for (String d : domains) {
            sb.append("  - name: ")
                    .append(d)
                    .append("\n")
                    .append("    legacy: { smtp: [ \"127.0.0.1:2525\" ] }\n")
                    .append("    new: { smtp: [ \"127.0.0.1:2526\" ], mx: [ mx.new.example ] }\n");
        }
        return sb.toString();
    }

    /** Like an editor that saves atomically. */
    static void write(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void watcherShouldSwapPlanWhenFileChanges() throws Exception {
        Path file = dir.resolve("plan.yml");
        write(file, plan("a.example"));
        try (PlanWatcher w = PlanWatcher.open(file)) {
            List<MigrationPlan> seen = new CopyOnWriteArrayList<>();
            w.onChange(seen::add);
            w.start(50);
            write(file, plan("a.example", "b.example"));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> w.current().domainNames().contains("b.example"));
            assertThat(seen).hasSize(1);
            assertThat(w.lastRefused()).isEmpty();
        }
    }

    @Test
    void watcherShouldKeepOldPlanWhenEditIsBrokenAndTakeTheFixLater() throws Exception {
        Path file = dir.resolve("plan.yml");
        write(file, plan("a.example"));
        try (PlanWatcher w = PlanWatcher.open(file)) {
            w.start(50);
            write(file, plan("a.example", "b.example").replace("127.0.0.1:2526", "127.0.0.1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !w.lastRefused().isEmpty());
            assertThat(w.current().domainNames()).containsExactly("a.example");
            assertThat(w.lastRefused())
                    .anySatisfy(p -> assertThat(p.toString()).contains("plan.yml:7: domains[1].new.smtp[0]"));

            write(file, plan("a.example", "c.example"));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> w.current().domainNames().contains("c.example"));
            assertThat(w.lastRefused()).isEmpty();
        }
    }

    @Test
    void watcherShouldKeepPlanWhenFileDisappears() throws Exception {
        Path file = dir.resolve("plan.yml");
        write(file, plan("a.example"));
        try (PlanWatcher w = PlanWatcher.open(file)) {
            Files.delete(file);
            assertThat(w.reload())
                    .singleElement()
                    .satisfies(p -> assertThat(p.problem()).contains("gone"));
            assertThat(w.current().domainNames()).containsExactly("a.example");
        }
    }

    @Test
    void openShouldFailWithEveryProblemWhenPlanIsInvalid() throws Exception {
        Path file = dir.resolve("plan.yml");
        write(file, "domains:\n  - name: x..y\n");
        assertThatThrownBy(() -> PlanWatcher.open(file))
                .isInstanceOfSatisfying(
                        InvalidPlanException.class,
                        e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(3))
                .hasMessageContaining("not a domain name");
    }
}
