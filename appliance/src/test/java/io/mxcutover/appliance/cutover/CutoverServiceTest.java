package io.mxcutover.appliance.cutover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.appliance.TestAppliance;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.facts.MailboxProgressSource;
import io.mxcutover.appliance.facts.SyncSummary;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.plan.PlanReader;
import io.mxcutover.appliance.store.DomainPhases;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.it.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service over a real store, without HTTP: crash recovery and ordering. */
class CutoverServiceTest {
    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T08:00:00Z"));
    final FakeParts parts = new FakeParts();

    {
        parts.now = clock::instant;
    }

    Store store;
    DomainPhases phases;
    CutoverRecords records;
    CutoverService service;
    DomainPlan domain;

    @BeforeEach
    void open() throws Exception {
        Files.writeString(dir.resolve("plan.yml"), TestAppliance.plan("a.test"));
        MigrationPlan plan = PlanReader.read(dir.resolve("plan.yml")).plan().orElseThrow();
        store = Store.open(dir.resolve("state/mx.db"));
        phases = new DomainPhases(store, clock);
        records = new CutoverRecords(store);
        service = new CutoverService(
                () -> plan, phases, new AuditLog(store, clock), records, new CutoverSources(parts), clock);
        parts.install(service);
        parts.ready("a.test");
        domain = plan.domain("a.test").orElseThrow();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void tickShouldFinishCompletionWhenCrashLeftCompletedDomainWithoutReport() {
        String id = records.begin("a.test", clock.instant(), "admin", "", false, List.of(), 100);
        phases.transition("a.test", CutoverPhase.RELAYING, CutoverPhase.CATCHING_UP, "admin", "", "");
        phases.transition("a.test", CutoverPhase.CATCHING_UP, CutoverPhase.COMPLETED, "mxcutover", "", "");

        service.tick();

        assertThat(records.report(id))
                .hasValueSatisfying(r -> assertThat(r.complete()).isTrue());
        assertThat(parts.stopped).contains("a.test");
    }

    @Test
    void readinessShouldNameBatchScopeWhenImportedMailboxesAreAllOutOfScope() {
        // batches.readiness: started-batches and no batch started: the sync judges none of its 2 mailboxes.
        parts.progress.put("a.test", List.of());

        List<io.mxcutover.appliance.readiness.Check> checks =
                service.view(domain).readiness().orElseThrow().checks();

        assertThat(checks)
                .filteredOn(c -> c.name().equals(io.mxcutover.appliance.readiness.Check.HISTORY))
                .singleElement()
                .satisfies(c -> assertThat(c.reason())
                        .startsWith("no batch of a.test is started")
                        .contains("2 mailboxes are in batches not started")
                        .endsWith("or set batches.readiness: all-mailboxes"));
    }

    @Test
    void tickShouldRunTheFinalPassAgainWhenTheApplianceDiedDuringIt() {
        // What a kill -9 during the final pass leaves: the cutover and its phase on disk, no final pass result.
        String id = records.begin("a.test", clock.instant(), "admin", "go", false, List.of(), 100);
        phases.transition("a.test", CutoverPhase.RELAYING, CutoverPhase.CATCHING_UP, "admin", "go", "");
        assertThat(service.view(domain).cutover().orElseThrow().finalPassState())
                .isEqualTo("running");

        service.tick();

        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        records.latest("a.test").orElseThrow().finalPassAt().isPresent());
        CutoverRecord c = records.latest("a.test").orElseThrow();
        assertThat(c.id()).isEqualTo(id);
        assertThat(c.finalPass()).extracting(FinalPass::mailbox).containsExactly("anna@a.test", "bob@a.test");
        assertThat(phases.phase("a.test")).isEqualTo(CutoverPhase.CATCHING_UP);
        assertThat(service.view(domain).cutover().orElseThrow().finalPassState())
                .isEqualTo("done");
        // Recorded once: later ticks leave it alone.
        java.time.Instant at = c.finalPassAt().orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        service.tick();
        assertThat(records.latest("a.test").orElseThrow().finalPassAt()).contains(at);
    }

    @Test
    void viewShouldIgnoreCutoverIntentWhosePhaseChangeNeverHappened() {
        records.begin("a.test", clock.instant(), "admin", "crashed before the phase change", false, List.of(), 0);
        clock.advance(Duration.ofHours(3));

        assertThat(service.view(domain).cutover()).isEmpty();
        service.cutover(domain, "admin", "second try", false);

        CutoverRecord c = records.latest("a.test").orElseThrow();
        assertThat(c.reason()).isEqualTo("second try");
        assertThat(c.at()).isEqualTo(clock.instant());
        assertThat(service.view(domain).cutover().orElseThrow().reason()).isEqualTo("second try");
    }

    @Test
    void cutoverShouldPersistPhaseBeforeListenersAndFinalPassRun() {
        java.util.List<CutoverPhase> seenByListener = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<CutoverPhase> seenByFinalPass = new java.util.concurrent.CopyOnWriteArrayList<>();
        service.onPhaseChange((d, from, to) -> seenByListener.add(phases.phase(d)));
        service.onPhaseChange((d, from, to) -> {
            throw new IllegalStateException("a broken listener must not stop the cutover");
        });
        service.sources().mailboxes(new MailboxProgressSource() {
            @Override
            public List<MailboxProgress> progress(String d) {
                return parts.progress(d);
            }

            @Override
            public SyncSummary summary(String d) {
                return parts.summary(d);
            }

            @Override
            public List<FinalPass> finalPass(String d) {
                seenByFinalPass.add(phases.phase(d));
                return List.of(FinalPass.copied("anna@a.test", 1));
            }

            @Override
            public void stopSyncing(String d) {}
        });

        CommandResult r = service.cutover(domain, "admin", "go", false);

        assertThat(r.transition()).isInstanceOf(Transition.Changed.class);
        assertThat(seenByListener).containsExactly(CutoverPhase.CATCHING_UP);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        records.latest("a.test").orElseThrow().finalPassAt().isPresent());
        assertThat(seenByFinalPass).containsExactly(CutoverPhase.CATCHING_UP);
    }

    @Test
    void finalPassShouldBeRecordedAsFailedWhenSyncThrows() {
        service.sources().mailboxes(new MailboxProgressSource() {
            @Override
            public List<MailboxProgress> progress(String d) {
                return parts.progress(d);
            }

            @Override
            public SyncSummary summary(String d) {
                return parts.summary(d);
            }

            @Override
            public List<FinalPass> finalPass(String d) {
                throw new IllegalStateException("legacy IMAP unreachable");
            }

            @Override
            public void stopSyncing(String d) {}
        });

        service.cutover(domain, "admin", "go", false);

        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        records.latest("a.test").orElseThrow().finalPassAt().isPresent());
        assertThat(records.latest("a.test").orElseThrow().finalPass())
                .singleElement()
                .satisfies(f -> assertThat(f.error())
                        .hasValueSatisfying(e -> assertThat(e).contains("legacy IMAP unreachable")));
        assertThat(service.report(domain).errors())
                .anySatisfy(e -> assertThat(e).contains("legacy IMAP unreachable"));
        assertThat(phases.phase("a.test")).isEqualTo(CutoverPhase.CATCHING_UP);
        assertThat(Optional.of(service.view(domain).phase())).contains(CutoverPhase.CATCHING_UP);
    }
}
