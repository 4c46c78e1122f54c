package io.mxcutover.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./mxcutover imapsync} hands imapsync's raw arguments to the sync module; a refusal happens before any I/O. */
class ImapsyncCommandTest {
    @Test
    void handOverShouldRefuseDelete2WithTheReasonAndExitTwo() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(text, true, StandardCharsets.UTF_8);
        int exit = ImapsyncCommand.handOver(
                List.of(
                        "--host1",
                        "old",
                        "--user1",
                        "a@b.c",
                        "-password1",
                        "x",
                        "--host2",
                        "new",
                        "--user2",
                        "a",
                        "--password2=y",
                        "--delete2"),
                Map.of(),
                ps,
                ps);
        assertThat(exit).isEqualTo(2);
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("--delete2 is not supported", "read-only", "nothing was done")
                .doesNotContain("logged in");
    }
}
