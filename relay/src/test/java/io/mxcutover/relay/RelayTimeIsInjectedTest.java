package io.mxcutover.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.it.TimeCalls;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * HACKING.md, "Time is injected": the relay's main code reads the time from its Clock and never sleeps. Its two
 * real-time waits are not calls this scan flags, on purpose: the retry timer waits on a lock for at most 1 s and
 * then re-reads the injected clock, and {@code GroupCommit}'s fsync watchdog measures real I/O with nanoTime.
 */
class RelayTimeIsInjectedTest {
    @Test
    void mainCodeShouldReadTimeFromClockOnly() {
        assertThat(TimeCalls.in(Path.of("src/main/java")))
                .as("calls that bypass the injected Clock; take a Clock instead (HACKING.md, Rules)")
                .isEmpty();
    }
}
