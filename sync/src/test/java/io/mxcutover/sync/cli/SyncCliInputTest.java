package io.mxcutover.sync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mxcutover sync --csv FILE} with a bad list: every problem as FILE:LINE, exit 65, nothing opened. */
class SyncCliInputTest {
    @TempDir
    Path dir;

    @Test
    void cliShouldExit65NamingFileAndEveryLineWhenListInvalid() throws Exception {
        Path csv = dir.resolve("mailboxes.csv");
        Files.writeString(
                csv,
                "address,legacy_login,legacy_password,new_login,new_password\n"
                        + "anna,anna,pw-anna,anna,pw-anna\n"
                        + "ben@example.org,ben,pw,ben,pw\n"
                        + "carl@example.org,carl,\"pw-carl,carl,x\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicBoolean stateOpened = new AtomicBoolean();

        int exit = SyncCli.run(
                new String[] {
                    "--legacy",
                    "imap://127.0.0.1:1",
                    "--new",
                    "imap://127.0.0.1:2",
                    "--csv",
                    csv.toString(),
                    "--state",
                    dir.resolve("s.db").toString()
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                p -> {
                    stateOpened.set(true);
                    throw new IllegalStateException("must not be opened");
                });

        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(SyncCli.EXIT_BAD_LIST).isEqualTo(65);
        assertThat(errors)
                .contains(
                        csv + ":2: the address 'anna' has no @domain; write the full address",
                        csv + ":4: a quoted field opened on this line is never closed",
                        "2 problem(s) in " + csv,
                        "nothing was copied")
                .doesNotContain("pw-anna", "pw-carl");
        assertThat(stateOpened).as("state store opened").isFalse();
    }

    @Test
    void cliShouldExit65WhenListFileMissing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SyncCli.run(
                new String[] {
                    "--legacy",
                    "imap://127.0.0.1:1",
                    "--new",
                    "imap://127.0.0.1:2",
                    "--csv",
                    dir.resolve("nope.csv").toString()
                },
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                p -> {
                    throw new IllegalStateException("must not be opened");
                });
        assertThat(exit).isEqualTo(65);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.csv does not exist");
    }

    /** A count that is not one is refused by name, with what it means and its range; nothing is opened. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = ';',
            value = {
                "--parallel;abc;--parallel is the number of mailboxes copied at the same time: a whole number from 1"
                        + " to 256, not 'abc'",
                "--parallel;0;--parallel is the number of mailboxes copied at the same time: a whole number from 1 to"
                        + " 256, not '0'",
                "--parallel;999;from 1 to 256, not '999'",
                "--batch;-5;--batch is the number of messages per FETCH/APPEND batch: a whole number from 1 to"
                        + " 100000, not '-5'",
                "--batch;1e3;not '1e3'",
            })
    void cliShouldExit2NamingTheOptionWhenACountIsNotOne(String option, String value, String message) throws Exception {
        Path csv = dir.resolve("mailboxes.csv");
        Files.writeString(
                csv, "address,legacy_login,legacy_password,new_login,new_password\nann@example.org,a,p,a,p\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicBoolean stateOpened = new AtomicBoolean();

        int exit = SyncCli.run(
                new String[] {
                    "--legacy",
                    "imap://127.0.0.1:1",
                    "--new",
                    "imap://127.0.0.1:2",
                    "--csv",
                    csv.toString(),
                    option,
                    value
                },
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                p -> {
                    stateOpened.set(true);
                    throw new IllegalStateException("must not be opened");
                });

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
        assertThat(stateOpened).as("state store opened").isFalse();
    }
}
