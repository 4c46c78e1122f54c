package io.mxcutover.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.it.TimeCalls;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HACKING.md, "Time is injected": the appliance's main code reads the time from its Clock and waits through the
 * sync's {@code Sleeper}.
 */
class ApplianceTimeIsInjectedTest {
    /** The only places allowed to bypass them: the entry points that build the system clock. */
    static final List<String> ALLOWED = List.of(
            "io/mxcutover/appliance/ApplianceApplication.java clock",
            "io/mxcutover/appliance/cli/DnsCheckCommand.java clock",
            "io/mxcutover/appliance/demo/DemoCommand.java clock");

    @Test
    void mainCodeShouldReadTimeFromClockAndSleepThroughSleeperOnly() {
        assertThat(TimeCalls.in(Path.of("src/main/java")))
                .as("calls that bypass the injected Clock or the Sleeper; use them instead (HACKING.md, Rules)")
                .filteredOn(c -> !ALLOWED.contains(c.where()))
                .isEmpty();
    }
}
