package io.mxcutover.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.it.TimeCalls;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** HACKING.md, "Time is injected": dnscheck's main code reads the time from its Clock, and never sleeps. */
class DnsCheckTimeIsInjectedTest {
    @Test
    void mainCodeShouldReadTimeFromClockOnly() {
        assertThat(TimeCalls.in(Path.of("src/main/java")))
                .as("calls that bypass the injected Clock; take a Clock instead (HACKING.md, Rules)")
                .isEmpty();
    }
}
