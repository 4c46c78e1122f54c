package io.mxcutover.sync.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaildirNamesTest {

    /** canonical levels (|-separated) | Maildir++ directory. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "INBOX             ; ''",
                "Archive           ; .Archive",
                "Archive|2019      ; .Archive.2019",
                "Café              ; .Caf&AOk-",
                "v1.2              ; .v1_2",
                "a/b|c             ; .a_b.c",
            })
    void folderDirShouldEncodeLevelsWhenFolderIsNested(String levels, String dir) {
        assertThat(MaildirNames.folderDir(List.of(levels.split("\\|")))).isEqualTo(dir);
    }

    /** flags (space-separated, - for none) | keywords known | info letters. */
    @ParameterizedTest(name = "{0} -> :2,{2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "-                          ; -            ; ''",
                "\\Seen                     ; -            ; S",
                "\\Seen \\Flagged \\Draft   ; -            ; DFS",
                "\\Answered \\Deleted       ; -            ; RT",
                "$Work \\Seen               ; $Work        ; Sa",
                "$Later $Work               ; $Work $Later ; ab",
                "$Unknown                   ; $Work        ; ''",
            })
    void messageFileShouldCarryFlagLettersInAsciiOrderWhenMessageHasFlags(String flags, String keywords, String info) {
        Set<String> f = flags.equals("-")
                ? Set.of()
                : new TreeSet<>(Arrays.asList(flags.trim().split(" +")));
        List<String> k =
                keywords.equals("-") ? List.of() : List.of(keywords.trim().split(" +"));
        String name = MaildirNames.messageFile(7, 42, 1234, Instant.ofEpochSecond(1262303999), f, k);

        assertThat(name).isEqualTo("1262303999.M42V7.mxcutover,S=1234:2," + info);
        assertThat(MaildirNames.parse(name, k)).hasValueSatisfying(p -> {
            assertThat(p.uid()).isEqualTo(42);
            assertThat(p.uidValidity()).isEqualTo(7);
            assertThat(p.size()).isEqualTo(1234);
            assertThat(p.internalDate()).isEqualTo(1262303999);
            assertThat(p.flags())
                    .isEqualTo(f.stream()
                            .filter(x -> x.startsWith("\\") || k.contains(x))
                            .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        });
    }

    @Test
    void newKeywordsShouldStopAtTwentySixWhenFolderHasManyKeywords() {
        List<String> known =
                java.util.stream.IntStream.range(0, 25).mapToObj(i -> "k" + i).toList();

        assertThat(MaildirNames.newKeywords(known, Set.of("\\Seen", "k3", "x", "y")))
                .containsExactly("x");
    }

    @Test
    void parseShouldIgnoreFilesNotWrittenByBackup() {
        assertThat(MaildirNames.parse("1262303999.M1P2.host:2,S", List.of())).isEmpty();
    }
}
