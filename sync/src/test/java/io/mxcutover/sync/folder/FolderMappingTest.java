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
    static final List<FolderInfo> NEW_FOLDERS = List.of(
            FolderInfo.of("INBOX", '/'),
            FolderInfo.of("Sent", '/', "\\Sent"),
            FolderInfo.of("Drafts", '/', "\\Drafts"),
            FolderInfo.of("Trash", '/', "\\Trash"),
            FolderInfo.of("Junk", '/', "\\Junk"));

    /** source name | source attributes (space separated, '-' none) | expected target name. */
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
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
        FolderInfo folder = new FolderInfo(
                source,
                '.',
                attributes.equals("-")
                        ? java.util.Set.of()
                        : Arrays.stream(attributes.split(" ")).collect(Collectors.toSet()),
                true);
        List<FolderPair> pairs = FolderMapping.map(List.of(folder), LEGACY, NEW_FOLDERS, NEW, FolderRules.ALL);
        assertThat(pairs).singleElement().extracting(FolderPair::target).isEqualTo(expected);
    }

    /** source (on '/') | expected target on a '.'/INBOX. server. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "INBOX         | INBOX",
                "Sent          | INBOX.Sent",
                "Archive/2019  | INBOX.Archive.2019",
                "v1.2/notes    | INBOX.v1_2.notes",
            })
    void folderShouldMapToPrefixedDotNameWhenTargetIsLegacyStyle(String source, String expected) {
        List<FolderInfo> target = List.of(FolderInfo.of("INBOX", '.'), FolderInfo.of("INBOX.Sent", '.', "\\Sent"));
        List<FolderPair> pairs =
                FolderMapping.map(List.of(FolderInfo.of(source, '/')), NEW, target, LEGACY, FolderRules.ALL);
        assertThat(pairs).singleElement().extracting(FolderPair::target).isEqualTo(expected);
    }

    @ParameterizedTest(name = "include {0} exclude {1}: {2} accepted={3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "-          | -           | Archive/2019 | true",
                "-          | Junk        | Junk         | false",
                "-          | Archive/*   | Archive/2019 | false",
                "-          | Archive/*   | Archive      | true",
                "Arch*      | -           | Archive/2019 | true",
                "Arch%      | -           | Archive/2019 | false",
                "INBOX      | -           | Sent         | false",
                "*          | trash       | Trash        | false",
            })
    void rulesShouldFilterCanonicalPathsWhenPatternsGiven(
            String include, String exclude, String path, boolean accepted) {
        FolderRules rules = new FolderRules(
                include.equals("-") ? List.of() : List.of(include),
                exclude.equals("-") ? List.of() : List.of(exclude),
                Map.of());
        assertThat(rules.accepts(path)).isEqualTo(accepted);
    }

    @org.junit.jupiter.api.Test
    void mappingShouldGiveRoleToAttributeFolderWhenSourceHasBothAttributeAndLocalizedName() {
        List<FolderInfo> source =
                List.of(FolderInfo.of("INBOX.Sent Items", '.'), FolderInfo.of("INBOX.Sent", '.', "\\Sent"));
        Map<String, String> m = FolderMapping.map(source, LEGACY, NEW_FOLDERS, NEW, FolderRules.ALL).stream()
                .collect(Collectors.toMap(FolderPair::source, FolderPair::target));
        assertThat(m).containsEntry("INBOX.Sent", "Sent").containsEntry("INBOX.Sent Items", "Sent Items");
    }

    @org.junit.jupiter.api.Test
    void mappingShouldSkipNoselectAndKeepChildrenWhenParentCannotHoldMessages() {
        List<FolderInfo> source =
                List.of(FolderInfo.of("INBOX.Projects", '.', "\\Noselect"), FolderInfo.of("INBOX.Projects.A", '.'));
        assertThat(FolderMapping.map(source, LEGACY, NEW_FOLDERS, NEW, FolderRules.ALL))
                .extracting(FolderPair::target)
                .containsExactly("Projects/A");
    }

    @org.junit.jupiter.api.Test
    void mappingShouldApplyRenameAndMarkExistingWhenRuleGiven() {
        FolderRules rules = new FolderRules(List.of(), List.of(), Map.of("Old/Stuff", "Archive/Old"));
        List<FolderPair> pairs = FolderMapping.map(
                List.of(FolderInfo.of("INBOX.Old.Stuff", '.'), FolderInfo.of("INBOX", '.')),
                LEGACY,
                NEW_FOLDERS,
                NEW,
                rules);
        assertThat(pairs).extracting(FolderPair::target).containsExactly("Archive/Old", "INBOX");
        assertThat(pairs.get(1).targetExists()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void mappingShouldSuffixSecondFolderWhenTwoSourcesCollide() {
        List<FolderInfo> source = List.of(FolderInfo.of("INBOX.a/b", '.'), FolderInfo.of("INBOX.a_b", '.'));
        assertThat(FolderMapping.map(source, LEGACY, NEW_FOLDERS, NEW, FolderRules.ALL))
                .extracting(FolderPair::target)
                .containsExactly("a_b", "a_b-2");
    }

    /** source | existing target folders (comma separated) | rename rule (from=to, '-' none) | expected kind | reason contains. */
    @ParameterizedTest(name = "{0} -> {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "INBOX.Entwürfe      | INBOX,Drafts       | -                  | MERGED  | special use \\Drafts",
                "INBOX.Entwürfe      | INBOX              | -                  | SAME    | ''",
                "INBOX.Sent Items    | INBOX,Sent         | -                  | MERGED  | special use \\Sent",
                "INBOX.Sent          | INBOX,Sent         | -                  | SAME    | ''",
                "INBOX.sent          | INBOX,Sent         | -                  | MERGED  | special use \\Sent",
                "INBOX.Archive.2019  | INBOX              | -                  | SAME    | ''",
                "INBOX.Projekte      | INBOX              | Projekte=Projects  | RENAMED | rename rule",
                "INBOX.Projekte      | INBOX,Projects     | Projekte=Projects  | MERGED  | rename rule",
                "INBOX.with/slash    | INBOX              | -                  | RENAMED | hierarchy separator",
            })
    void describeShouldNameRenamesAndMergesWhenTheTargetNameDiffers(
            String source, String existing, String rule, String kind, String reason) {
        List<FolderInfo> target = Arrays.stream(existing.split(","))
                .map(n -> FolderInfo.of(n, '/'))
                .toList();
        FolderRules rules = rule.equals("-")
                ? FolderRules.ALL
                : new FolderRules(List.of(), List.of(), Map.of(rule.split("=")[0], rule.split("=")[1]));
        FolderPair pair = FolderMapping.map(List.of(FolderInfo.of(source, '.')), LEGACY, target, NEW, rules)
                .get(0);
        FolderMove move = FolderMapping.describe(
                pair, LEGACY, NEW, rules, target.stream().anyMatch(f -> f.name().equals(pair.target())));
        assertThat(move.kind()).isEqualTo(FolderMove.Kind.valueOf(kind));
        assertThat(move.reason()).contains(reason);
    }

    @org.junit.jupiter.api.Test
    void mapShouldKeepPinnedTargetsAndNeverGiveTheirNamesToOtherFolders() {
        List<FolderInfo> source = List.of(FolderInfo.of("INBOX.Gesendet", '.'), FolderInfo.of("INBOX.Sent", '.'));
        List<FolderInfo> target = List.of(FolderInfo.of("INBOX", '/'));
        assertThat(FolderMapping.map(source, LEGACY, target, NEW, FolderRules.ALL, Map.of("INBOX.Sent", "Gesendet")))
                .extracting(FolderPair::target)
                .containsExactly("Gesendet-2", "Gesendet");
    }
}
