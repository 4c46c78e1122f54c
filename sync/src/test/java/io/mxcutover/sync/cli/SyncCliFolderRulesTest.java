package io.mxcutover.sync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.sync.folder.FolderRules;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyncCliFolderRulesTest {
    @Test
    void flagsShouldBecomeFolderRules() {
        FolderRules r = SyncCli.folderRules(Map.of(
                "--include", List.of("INBOX", "Projects/*"),
                "--exclude", List.of("Junk*"),
                "--rename", List.of("Old Stuff=Archive/Old", "a=b=c")));
        assertThat(r.include()).containsExactly("INBOX", "Projects/*");
        assertThat(r.exclude()).containsExactly("Junk*");
        assertThat(r.rename()).containsEntry("Old Stuff", "Archive/Old").containsEntry("a", "b=c");
        assertThat(r.accepts("Projects/x")).isTrue();
        assertThat(r.accepts("Junk")).isFalse();
    }

    /** flag | value | words of the refusal. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--exclude | /Junk       | --exclude",
                "--include | ''          | --include",
                "--rename  | Old         | FROM=TO",
                "--rename  | =New        | FROM=TO",
                "--rename  | Old=        | FROM=TO",
                "--rename  | Old=New/*   | not a pattern",
            })
    void invalidFlagShouldBeRefusedNamingIt(String flag, String value, String words) {
        assertThatThrownBy(() -> SyncCli.folderRules(Map.of(flag, List.of(value))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(flag)
                .hasMessageContaining(words);
    }

    @Test
    void cliShouldExitTwoOnAnInvalidFolderFlagBeforeAnyConnection() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SyncCli.run(
                new String[] {
                    "--legacy",
                    "imap://127.0.0.1:1",
                    "--new",
                    "imap://127.0.0.1:1",
                    "--csv",
                    "none.csv",
                    "--exclude",
                    "Junk//x"
                },
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                path -> {
                    throw new AssertionError("no state is opened");
                });
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--exclude", "Junk//x");
    }
}
