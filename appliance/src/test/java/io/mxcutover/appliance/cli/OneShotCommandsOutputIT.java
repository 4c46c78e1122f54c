package io.mxcutover.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-shot commands as an admin runs them from the shaded jar, in a child process: {@code sync} (a plain
 * line goes around Dropwizard) and {@code imapsync} (always handed over raw). Their output is the tool's table
 * and its warnings, never library chatter: without Dropwizard's bootstrap logging, Logback's defaults printed
 * Flyway's INFO lines among imapsync's output on a first run (found by hand, 2026-12-06).
 */
class OneShotCommandsOutputIT {
    static final Path JAR = Path.of("target/mxcutover.jar");
    GreenMail legacy;
    GreenMail fresh;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        legacy = greenMail();
        fresh = greenMail();
        for (GreenMail g : List.of(legacy, fresh)) {
            g.setUser("ann@example.test", "ann", "ann-pw");
        }
    }

    @AfterEach
    void stop() {
        legacy.stop();
        fresh.stop();
    }

    private static GreenMail greenMail() {
        GreenMail g = new GreenMail(
                new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort()});
        g.start();
        return g;
    }

    private String run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR.toAbsolutePath().toString()));
        command.addAll(args);
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void syncShouldPrintItsTableAndNoLibraryLogLines() throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        Files.writeString(
                dir.resolve("m.csv"),
                "address,legacy_login,legacy_password,new_login,new_password\nann@example.test,ann,ann-pw,ann,ann-pw\n");

        String out = run(List.of(
                "sync",
                "--legacy",
                "imap://127.0.0.1:" + legacy.getImap().getPort(),
                "--new",
                "imap://127.0.0.1:" + fresh.getImap().getPort(),
                "--csv",
                "m.csv",
                "--state",
                "state/first.db"));

        assertThat(out).contains("1 synced").doesNotContain(" INFO ", " DEBUG ", "flywaydb");
    }

    @Test
    void imapsyncShouldPrintItsTableAndNoLibraryLogLines() throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        Files.writeString(dir.resolve("pw"), "ann-pw\n");

        String out = run(List.of(
                "imapsync",
                "--host1",
                "127.0.0.1",
                "--port1",
                Integer.toString(legacy.getImap().getPort()),
                "--user1",
                "ann",
                "--passfile1",
                "pw",
                "--host2",
                "127.0.0.1",
                "--port2",
                Integer.toString(fresh.getImap().getPort()),
                "--user2",
                "ann",
                "--passfile2",
                "pw",
                "--state",
                "state/first.db"));

        assertThat(out).contains("1 synced").doesNotContain(" INFO ", " DEBUG ", "flywaydb");
    }
}
