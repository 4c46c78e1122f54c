package io.mxcutover.sync.folder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FolderMappingTest {
    static final Namespace LEGACY = new Namespace("INBOX.", '.');
    static final Namespace NEW = new Namespace("", '/');
    static final List<FolderInfo> NEW_FOLDERS = List.of(FolderInfo.of("INBOX", '/'),
            FolderInfo.of("Sent", '/', "\\Sent"), FolderInfo.of("Drafts", '/', "\\Drafts"),
            FolderInfo.of("Trash", '/', "\\Trash"), FolderInfo.of("Junk", '/', "\\Junk"));

    /** source name | source attributes (space separated, '-' none) | expected target name. */
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "INBOX                      | -        | INBOX",
            "INBOX.Sent                 | \\Sent   | Sent",
            "INBOX.Sent Items           | -        | Sent",
            "INBOX.Posta inviata        | -        | Sent",
            "INBOX.Gesendete Objekte    | -        | Sent",
            "INBOX.Éléments envoyés     | -        | Sent",
            "INBOX.Deleted Items        | -        | Trash",
            "INBOX.Cestino              | -        | Trash",
            "INBOX.Entwürfe             | -        | Drafts",
            "INBOX.Junk E-mail          | -        | Junk",
            "INBOX.Archive              | -        | Archive",
            "INBOX.Archive.2019         | -        | Archive/2019",
            "INBOX.a.b.c.d.e            | -        | a/b/c/d/e",
            "INBOX.Projekte.Ärger       | -        | Projekte/Ärger",
            "INBOX.日本語.下位          | -        | 日本語/下位",
            "INBOX.with/slash           | -        | with_slash",
            "INBOX.Sent.Sub             | -        | Sent/Sub",
            "inbox                      | -        | INBOX",
    })
    void folderShouldMapToTargetNameWhenLegacyUsesDotAndInboxPrefix(String source, String attributes, String expected) {
        FolderInfo folder = new FolderInfo(source, '.', attributes.equals("-") ? java.util.Set.of()
                : Arrays.stream(attributes.split(" ")).collect(Collectors.toSet()), true);
        List<FolderPair> pairs = FolderMapping.map(List.of(folder), LEGACY, NEW_FOLDERS, NEW, FolderRules.ALL);
        assertThat(pairs).singleElement().extracting(FolderPair::target).isEqualTo(expected);
    }

    /** source (on '/') | expected target on a '.'/INBOX. server. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "INBOX         | INBOX",
            "Sent          | INBOX.Sent",
            "Archive/2019  | INBOX.Archive.2019",
            "v1.2/notes    | INBOX.v1_2.notes",
    })
    void folderShouldMapToPrefixedDotNameWhenTargetIsLegacyStyle(String source, String expected) {
        List<FolderInfo> target = List.of(FolderInfo.of("INBOX", '.'), FolderInfo.of("INBOX.Sent", '.', "\\Sent"));
        List<FolderPair> pairs = FolderMapping.map(List.of(FolderInfo.of(source, '/')), NEW, target, LEGACY, FolderRules.ALL);
        assertThat(pairs).singleElement().extracting(FolderPair::target).isEqualTo(expected);
    }

    @ParameterizedTest(name = "include {0} exclude {1}: {2} accepted={3}")
    @CsvSource(delimiter = '|', value = {
            "-          | -           | Archive/2019 | true",
            "-          | Junk        | Junk         | false",
            "-          | Archive/*   | Archive/2019 | false",
            "-          | Archive/*   | Archive      | true",
            "Arch*      | -           | Archive/2019 | true",
            "Arch%      | -           | Archive/2019 | false",
            "INBOX      | -           | Sent         | false",
            "*          | trash       | Trash        | false",
    })
    void rulesShouldFilterCanonicalPathsWhenPatternsGiven(String include, String exclude, String path, boolean accepted) {
        FolderRules rules = new FolderRules(include.equals("-") ? List.of() : List.of(include),
                exclude.equals("-") ? List.of() : List.of(exclude), Map.of());
        assertThat(rules.accepts(path)).isEqualTo(accepted);
    }

    @org.junit.jupiter.api.Test
    void mappingShouldGiveRoleToAttributeFolderWhenSourceHasBothAttributeAndLocalizedName() {
        List<FolderInfo> source = List.of(FolderInfo.of("INBOX.Sent Items", '.'), FolderInfo.of("INBOX.Sent", '.', "\\Sent"));
        Map<String, String> m = FolderMapping.map(source, LEGACY, NEW_FOLDERS, NEW, FolderRules.ALL).stream()
                .collect(Collectors.toMap(FolderPair::source, FolderPair::target));
        assertThat(m).containsEntry("INBOX.Sent", "Sent").containsEntry("INBOX.Sent Items", "Sent Items");
    }

    @org.junit.jupiter.api.Test
    void mappingShouldSkipNoselectAndKeepChildrenWhenParentCannotHoldMessages() {
        List<FolderInfo> source = List.of(FolderInfo.of("INBOX.Projects", '.', "\\Noselect"), FolderInfo.of("INBOX.Projects.A", '.'));
        assertThat(FolderMapping.map(source, LEGACY, NEW_FOLDERS, NEW, FolderRules.ALL)).extracting(FolderPair::target)
                .containsExactly("Projects/A");
    }

    @org.junit.jupiter.api.Test
    void mappingShouldApplyRenameAndMarkExistingWhenRuleGiven() {
        FolderRules rules = new FolderRules(List.of(), List.of(), Map.of("Old/Stuff", "Archive/Old"));
        List<FolderPair> pairs = FolderMapping.map(List.of(FolderInfo.of("INBOX.Old.Stuff", '.'), FolderInfo.of("INBOX", '.')),
                LEGACY, NEW_FOLDERS, NEW, rules);
        assertThat(pairs).extracting(FolderPair::target).containsExactly("Archive/Old", "INBOX");
        assertThat(pairs.get(1).targetExists()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void mappingShouldSuffixSecondFolderWhenTwoSourcesCollide() {
        List<FolderInfo> source = List.of(FolderInfo.of("INBOX.a/b", '.'), FolderInfo.of("INBOX.a_b", '.'));
        assertThat(FolderMapping.map(source, LEGACY, NEW_FOLDERS, NEW, FolderRules.ALL)).extracting(FolderPair::target)
                .containsExactly("a_b", "a_b-2");
    }
}
