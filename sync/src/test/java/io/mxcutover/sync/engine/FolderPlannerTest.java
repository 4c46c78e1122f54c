package io.mxcutover.sync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.FolderMove;
import io.mxcutover.sync.folder.FolderPair;
import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.state.PlannedFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The folder plan is decided once and replayed from its journal: a folder an interrupted pass
 * created on the target must not change where any source folder goes (issue 10: every mailbox's
 * {@code Sent} ended up in {@code Sent-2} after kills during folder creation).
 */
class FolderPlannerTest {
    static final Namespace LEGACY = new Namespace("INBOX.", '.');
    static final Namespace NEW = new Namespace("", '/');
    // Legacy without special-use attributes: the SENT role goes by name to the first such folder.
    static final List<FolderInfo> SOURCE = List.of(
            FolderInfo.of("INBOX", '.'),
            FolderInfo.of("INBOX.Gesendete Objekte", '.'),
            FolderInfo.of("INBOX.Sent", '.'),
            FolderInfo.of("INBOX.Entwürfe", '.'),
            FolderInfo.of("INBOX.Work", '.'));
    // A new server that announces no roles and auto-creates nothing but INBOX and Drafts.
    static final List<FolderInfo> EMPTY_TARGET = List.of(FolderInfo.of("INBOX", '/'), FolderInfo.of("Drafts", '/'));

    static Map<String, String> mapping(FolderPlanner.Planned p) {
        Map<String, String> m = new LinkedHashMap<>();
        p.pairs().forEach(x -> m.put(x.source(), x.target()));
        return m;
    }

    @Test
    void planShouldStayTheSameWhenAnInterruptedPassLeftCreatedFolders() {
        FolderPlanner.Planned first =
                FolderPlanner.plan(SOURCE, LEGACY, EMPTY_TARGET, NEW, FolderRules.ALL, List.of(), Map.of());
        assertThat(mapping(first))
                .containsEntry("INBOX.Gesendete Objekte", "Gesendete Objekte")
                .containsEntry("INBOX.Sent", "Sent")
                .containsEntry("INBOX.Entwürfe", "Drafts");
        // Killed right after CREATE "Sent" (and before anything else): the target now has a folder
        // named like a SENT role, which is the sync's own, not the user's.
        List<FolderInfo> afterCrash = new ArrayList<>(EMPTY_TARGET);
        afterCrash.add(FolderInfo.of("Sent", '/'));
        // What the pass after the crash decided before the plan was journaled (no journal to replay):
        assertThat(mapping(FolderPlanner.plan(SOURCE, LEGACY, afterCrash, NEW, FolderRules.ALL, List.of(), Map.of())))
                .containsEntry("INBOX.Gesendete Objekte", "Sent")
                .containsEntry("INBOX.Sent", "Sent-2");
        FolderPlanner.Planned replay =
                FolderPlanner.plan(SOURCE, LEGACY, afterCrash, NEW, FolderRules.ALL, first.newLines(), Map.of());
        assertThat(mapping(replay)).isEqualTo(mapping(first)).doesNotContainValue("Sent-2");
        // Lines of folders not created yet are decided again, the same way (nothing else changed).
        assertThat(replay.newLines())
                .allSatisfy(l ->
                        assertThat(l.targetFolder()).isEqualTo(mapping(first).get(l.sourceFolder())));
    }

    @Test
    void planShouldTreatASyncCreatedFolderAsOursWhenANewSourceFolderIsPlanned() {
        FolderPlanner.Planned first = FolderPlanner.plan(
                List.of(FolderInfo.of("INBOX", '.'), FolderInfo.of("INBOX.Sent", '.')),
                LEGACY,
                EMPTY_TARGET,
                NEW,
                FolderRules.ALL,
                List.of(),
                Map.of());
        List<FolderInfo> later = new ArrayList<>(EMPTY_TARGET);
        later.add(FolderInfo.of("Sent", '/'));
        // A folder that appears later on legacy and would claim the SENT role by the name of our own "Sent".
        List<FolderInfo> source = List.of(
                FolderInfo.of("INBOX.Gesendet", '.'), FolderInfo.of("INBOX", '.'), FolderInfo.of("INBOX.Sent", '.'));
        FolderPlanner.Planned next =
                FolderPlanner.plan(source, LEGACY, later, NEW, FolderRules.ALL, first.newLines(), Map.of());
        assertThat(mapping(next)).containsEntry("INBOX.Sent", "Sent").containsEntry("INBOX.Gesendet", "Gesendet");
        assertThat(next.newLines()).extracting(PlannedFolder::sourceFolder).containsExactly("INBOX.Gesendet");
    }

    @Test
    void planShouldJournalWhetherTheTargetFolderIsTheSyncsAndListMergesWhenFirstPlanned() {
        FolderPlanner.Planned first =
                FolderPlanner.plan(SOURCE, LEGACY, EMPTY_TARGET, NEW, FolderRules.ALL, List.of(), Map.of());
        assertThat(first.newLines())
                .filteredOn(PlannedFolder::createdBySync)
                .extracting(PlannedFolder::targetFolder)
                .containsExactlyInAnyOrder("Gesendete Objekte", "Sent", "Work");
        assertThat(first.moves()).singleElement().satisfies(m -> {
            assertThat(m.sourceFolder()).isEqualTo("INBOX.Entwürfe");
            assertThat(m.kind()).isEqualTo(FolderMove.Kind.MERGED);
            assertThat(m.describe()).contains("merged into 'Drafts'", "special use \\Drafts");
        });
    }

    @Test
    void planShouldKeepACheckpointsTargetWhenTheStoreHasNoJournaledPlan() {
        FolderPlanner.Planned p = FolderPlanner.plan(
                SOURCE, LEGACY, EMPTY_TARGET, NEW, FolderRules.ALL, List.of(), Map.of("INBOX.Work", "Arbeit"));
        assertThat(p.pairs())
                .filteredOn(x -> x.source().equals("INBOX.Work"))
                .extracting(FolderPair::target)
                .containsExactly("Arbeit");
    }

    @Test
    void planShouldDecideAgainWhenAPlannedFolderWasNeverCreated() {
        List<FolderInfo> source = List.of(FolderInfo.of("INBOX", '.'), FolderInfo.of("INBOX.Projects.new", '.'));
        FolderPlanner.Planned first =
                FolderPlanner.plan(source, LEGACY, EMPTY_TARGET, NEW, FolderRules.ALL, List.of(), Map.of());
        assertThat(mapping(first)).containsEntry("INBOX.Projects.new", "Projects/new");
        // The new server refused CREATE "Projects/new"; the admin adds a rename rule.
        FolderRules rule = new FolderRules(List.of(), List.of(), Map.of("Projects/new", "Projects/new mail"));
        FolderPlanner.Planned next =
                FolderPlanner.plan(source, LEGACY, EMPTY_TARGET, NEW, rule, first.newLines(), Map.of());
        assertThat(mapping(next)).containsEntry("INBOX.Projects.new", "Projects/new mail");
        assertThat(next.newLines()).extracting(PlannedFolder::targetFolder).contains("Projects/new mail");
        // Once the folder exists, the line stands whatever the rules say later.
        List<FolderInfo> created = new ArrayList<>(EMPTY_TARGET);
        created.add(FolderInfo.of("Projects/new mail", '/'));
        FolderPlanner.Planned later =
                FolderPlanner.plan(source, LEGACY, created, NEW, FolderRules.ALL, next.newLines(), Map.of());
        assertThat(mapping(later)).containsEntry("INBOX.Projects.new", "Projects/new mail");
    }
}
