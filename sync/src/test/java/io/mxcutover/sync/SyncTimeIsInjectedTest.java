package io.mxcutover.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.it.TimeCalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HACKING.md, "Time is injected": the sync's main code reads the time from its Clock and waits through a Sleeper. */
class SyncTimeIsInjectedTest {
    /** The only places allowed to bypass them: the sleeper itself, and the CLI that builds the system clock. */
    static final List<String> ALLOWED = List.of(
            "io/mxcutover/sync/time/Sleeper.java sleep",
            "io/mxcutover/sync/cli/SyncCli.java clock",
            "io/mxcutover/sync/cli/InventoryCli.java clock",
            "io/mxcutover/sync/cli/ImapsyncCli.java clock");

    @Test
    void mainCodeShouldReadTimeFromClockAndSleepThroughSleeperOnly() {
        assertThat(TimeCalls.in(Path.of("src/main/java")))
                .as("calls that bypass the injected Clock or the Sleeper; use them instead (HACKING.md, Rules)")
                .filteredOn(c -> !ALLOWED.contains(c.where()))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Instant start = Instant.now();                    | now",
                "var t = java.time.Instant.now(clock);             | now",
                "LocalDateTime.now()                               | now",
                "ZonedDateTime.now(ZoneOffset.UTC)                 | now",
                "long t = System.currentTimeMillis();              | millis",
                "Date d = new Date();                              | date",
                "new java.util.Date( )                             | date",
                "Clock.systemUTC().instant()                       | clock",
                "java.time.Clock.systemDefaultZone()               | clock",
                "Thread.sleep(500);                                | sleep",
                "TimeUnit.SECONDS.sleep(1);                        | sleep",
                "LockSupport.parkNanos(1_000_000L);                | park",
                "long t0 = System.nanoTime();                      | ''",
                "sleeper.sleep(Duration.ofSeconds(5));             | ''",
                "clock.instant()                                   | ''",
                "new Date(millis)                                  | ''",
                "Instant.ofEpochMilli(clock.millis())              | ''",
                "// Thread.sleep(5) in a comment                   | ''",
                "* {@code Instant.now()} in Javadoc                | ''",
            })
    void timeCallsShouldFindEachKindOfCallWhenOutsideComments(String line, String kind, @TempDir Path dir)
            throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/A.java"), "class A {\n    " + line + "\n}\n", StandardCharsets.UTF_8);

        List<TimeCalls.Call> calls = TimeCalls.in(dir);

        if (kind.isEmpty()) {
            assertThat(calls).isEmpty();
        } else {
            assertThat(calls).singleElement().satisfies(c -> {
                assertThat(c.where()).isEqualTo("a/A.java " + kind);
                assertThat(c.line()).isEqualTo(2);
            });
        }
    }
}
