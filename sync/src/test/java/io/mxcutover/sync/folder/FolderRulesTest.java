package io.mxcutover.sync.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FolderRulesTest {
    static final Namespace LEGACY = new Namespace("INBOX.", '.');
    static final Namespace NEW = new Namespace("", '/');
    static final List<FolderInfo> SOURCE = List.of(
            FolderInfo.of("INBOX", '.'),
            FolderInfo.of("INBOX.Sent Items", '.'),
            FolderInfo.of("INBOX.Junk", '.'),
            FolderInfo.of("INBOX.Junk.Old", '.'),
            FolderInfo.of("INBOX.Archive", '.'),
            FolderInfo.of("INBOX.Archive.2019", '.'),
            FolderInfo.of("INBOX.Projects", '.'));
    static final List<FolderInfo> TARGET = List.of(FolderInfo.of("INBOX", '/'), FolderInfo.of("Sent", '/', "\\Sent"));

    static FolderRules imapsync(
            String folders, String include, String exclude, String subfolder, String rewrites, boolean automap) {
        return new FolderRules(
                List.of(),
                List.of(),
                Map.of(),
                list(folders),
                list(include),
                list(exclude),
                subfolder.equals("-") ? Optional.empty() : Optional.of(subfolder),
                list(rewrites).stream().map(FolderRewrite::of).toList(),
                automap);
    }

    static List<String> list(String cell) {
        return cell.equals("-")
                ? List.of()
                : Arrays.stream(cell.split(";")).map(String::strip).toList();
    }

    /**
     * --folder | --include | --exclude | --subfolder2 | --regextrans2 | --automap | expected mapping
     * (source=target, ';' separated, in source order). Values are ';'-separated lists, '-' for none.
     */
    @ParameterizedTest(name = "[{index}] {6}")
    @CsvSource(
            delimiter = '|',
            value = {
                "- | - | - | - | - | true"
                        + " | INBOX=INBOX;INBOX.Sent Items=Sent;INBOX.Junk=Junk;INBOX.Junk.Old=Junk/Old;"
                        + "INBOX.Archive=Archive;INBOX.Archive.2019=Archive/2019;INBOX.Projects=Projects",
                "- | - | - | - | - | false"
                        + " | INBOX=INBOX;INBOX.Sent Items=Sent Items;INBOX.Junk=Junk;INBOX.Junk.Old=Junk/Old;"
                        + "INBOX.Archive=Archive;INBOX.Archive.2019=Archive/2019;INBOX.Projects=Projects",
                "- | - | ^INBOX\\.Junk | - | s/^Archive/Old/ | true"
                        + " | INBOX=INBOX;INBOX.Sent Items=Sent;INBOX.Archive=Old;INBOX.Archive.2019=Old/2019;"
                        + "INBOX.Projects=Projects",
                "- | Archive;Projects | Archive\\.2019 | - | - | true | INBOX.Archive=Archive;INBOX.Projects=Projects",
                "INBOX;INBOX.Projects | - | - | - | - | true | INBOX=INBOX;INBOX.Projects=Projects",
                "- | ^INBOX$;Proj | - | Old Mail | - | true | INBOX=Old Mail/INBOX;INBOX.Projects=Old Mail/Projects",
                "- | Sent | - | Legacy/Box | - | true | INBOX.Sent Items=Legacy/Box/Sent Items",
                "- | Sent | - | - | s/Sent/Gesendet/ | true | INBOX.Sent Items=Gesendet",
                "- | Junk | - | - | s/J/j/g;s/^junk/trash/ | false | INBOX.Junk=trash;INBOX.Junk.Old=trash/Old",
            })
    void imapsyncFolderOptionsShouldSelectAndNameFolders(
            String folders,
            String include,
            String exclude,
            String subfolder,
            String rewrites,
            boolean automap,
            String expected) {
        FolderRules rules = imapsync(folders, include, exclude, subfolder, rewrites, automap);
        String mapping = FolderMapping.map(SOURCE, LEGACY, TARGET, NEW, rules).stream()
                .map(p -> p.source() + "=" + p.target())
                .collect(Collectors.joining(";"));
        assertThat(mapping).isEqualTo(expected);
    }

    @Test
    void describeShouldSayAFolderRuleRenamedIt() {
        FolderRules rules = imapsync("-", "Archive", "-", "-", "s/^Archive/Old/", true);
        FolderPair pair = FolderMapping.map(SOURCE, LEGACY, TARGET, NEW, rules).get(0);
        FolderMove move = FolderMapping.describe(pair, LEGACY, NEW, rules, false);
        assertThat(move.kind()).isEqualTo(FolderMove.Kind.RENAMED);
        assertThat(move.describe()).contains("s/^Archive/Old/");
    }

    /** domain include | domain exclude | mailbox include | mailbox exclude | path | accepted. */
    @ParameterizedTest(name = "{4}: {5}")
    @CsvSource(
            delimiter = '|',
            value = {
                "-        | Junk      | -         | Private/* | Junk        | false",
                "-        | Junk      | -         | Private/* | Private/Tax | false",
                "-        | Junk      | -         | Private/* | Projects    | true",
                "Archive* | -         | Projects  | -         | Archive     | false",
                "Archive* | -         | Projects  | -         | Projects    | true",
                "Archive* | Archive/% | -         | -         | Archive/x   | false",
                "Archive* | -         | -         | -         | archive/2019| true",
            })
    void mailboxRulesShouldAddToTheDomainsAndExcludeShouldWin(
            String dInclude, String dExclude, String mInclude, String mExclude, String path, boolean accepted) {
        FolderRules domain = new FolderRules(list(dInclude), list(dExclude), Map.of("A", "B"));
        FolderRules mailbox = new FolderRules(list(mInclude), list(mExclude), Map.of("A", "C"));
        FolderRules both = domain.with(mailbox);
        assertThat(both.accepts(path)).isEqualTo(accepted);
        assertThat(both.rename()).containsEntry("A", "C");
    }

    /** include | exclude | rename (from=to) | words of the refusal. */
    @ParameterizedTest(name = "{3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "'' | - | - | empty include pattern",
                "- | /Junk | - | leading or trailing",
                "- | Junk/ | - | leading or trailing",
                "- | a//b | - | one '/'",
                "- | - | Old*=New | not a pattern",
                "- | - | Old=New/ | leading or trailing",
            })
    void invalidRulesShouldBeRefusedWithTheReason(String include, String exclude, String rename, String words) {
        Map<String, String> renames =
                rename.equals("-") ? Map.of() : Map.of(rename.split("=")[0], rename.split("=")[1]);
        assertThatThrownBy(() -> new FolderRules(include == null ? List.of("") : list(include), list(exclude), renames))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(words);
    }

    @Test
    void invalidRegexShouldBeRefusedNamingIt() {
        assertThatThrownBy(() -> imapsync("-", "-", "Junk(", "-", "-", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Junk('")
                .hasMessageContaining("not a valid regular expression");
    }
}
