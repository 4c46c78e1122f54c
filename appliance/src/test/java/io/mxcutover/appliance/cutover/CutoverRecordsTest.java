package io.mxcutover.appliance.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.readiness.CheckState;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.window.ForcedClose;
import io.mxcutover.appliance.window.WindowExtension;
import io.mxcutover.appliance.window.WindowOverrides;
import io.mxcutover.appliance.window.WindowState;
import io.mxcutover.appliance.window.WindowTerm;
import io.mxcutover.appliance.window.WindowVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on SQLite; {@code CutoverRecordsPostgresIT} runs the same tests on PostgreSQL. */
class CutoverRecordsTest {
    /** The store at {@code db}: SQLite here; opening it again reaches the same state. */
    Store open(Path db) throws java.io.IOException {
        return Store.open(db);
    }

    @TempDir
    Path dir;

    static final Instant T = Instant.parse("2026-11-20T12:00:00Z");
    static final List<Check> CHECKS = List.of(
            new Check(Check.HISTORY, CheckState.PASS, "every mailbox (2) copied"),
            new Check(Check.DNS, CheckState.WARN, "MX still old"));

    @Test
    void recordsShouldKeepNewestCutoverWithChecksAcrossReopenWhenTimesTie() throws Exception {
        Path db = dir.resolve("state/mx.db");
        CutoverRecords records = new CutoverRecords(open(db));
        records.begin("a.example", T, "alice", "first", false, CHECKS, 10);
        String second = records.begin("a.example", T, "bob", "second", true, CHECKS, 20);
        records.begin("b.example", T, "carol", "other domain", false, List.of(), 0);

        CutoverRecord latest = new CutoverRecords(open(db)).latest("a.example").orElseThrow();

        assertThat(latest.id()).isEqualTo(second);
        assertThat(latest.actor()).isEqualTo("bob");
        assertThat(latest.forced()).isTrue();
        assertThat(latest.readiness()).isEqualTo(CHECKS);
        assertThat(latest.copiedBefore()).isEqualTo(20);
        assertThat(latest.finalPassAt()).isEmpty();
        assertThat(records.latest("nowhere.example")).isEmpty();
    }

    @Test
    void recordsShouldStoreFinalPassPerMailbox() throws Exception {
        CutoverRecords records = new CutoverRecords(open(dir.resolve("mx.db")));
        String id = records.begin("a.example", T, "alice", "", false, CHECKS, 0);
        List<FinalPass> pass = List.of(
                FinalPass.copied("anna@a.example", 3),
                FinalPass.failed("bob@a.example", 1, "IMAP login failed on legacy"));

        records.finalPassDone(id, T.plusSeconds(30), pass);

        CutoverRecord c = records.latest("a.example").orElseThrow();
        assertThat(c.finalPassAt()).contains(T.plusSeconds(30));
        assertThat(c.finalPass()).isEqualTo(pass);
    }

    @Test
    void forgetShouldDropCutoverAndItsOverridesWhenPhaseChangeDidNotHappen() throws Exception {
        CutoverRecords records = new CutoverRecords(open(dir.resolve("mx.db")));
        String kept = records.begin("a.example", T, "alice", "", false, CHECKS, 0);
        String dropped = records.begin("a.example", T.plusSeconds(1), "bob", "", false, CHECKS, 0);
        records.extend(dropped, T, "bob", Duration.ofHours(1), "");

        records.forget(dropped);

        assertThat(records.latest("a.example").orElseThrow().id()).isEqualTo(kept);
        assertThat(records.overrides(dropped)).isEqualTo(WindowOverrides.NONE);
    }

    @Test
    void overridesShouldAddExtensionsAndKeepFirstForcedClose() throws Exception {
        CutoverRecords records = new CutoverRecords(open(dir.resolve("mx.db")));
        String id = records.begin("a.example", T, "alice", "", false, CHECKS, 0);
        records.extend(id, T.plusSeconds(1), "alice", Duration.ofHours(12), "holiday");
        records.extend(id, T.plusSeconds(2), "bob", Duration.ofHours(2), "");
        records.forceClose(id, T.plusSeconds(3), "carol", "contract ends");
        String late = records.forceClose(id, T.plusSeconds(4), "dave", "again");
        records.forgetOverride(late);
        String unrelated = records.begin("b.example", T, "alice", "", false, CHECKS, 0);
        records.extend(unrelated, T, "alice", Duration.ofHours(99), "");

        WindowOverrides o = records.overrides(id);

        assertThat(o.extensions())
                .containsExactly(
                        new WindowExtension.By(Duration.ofHours(12), "alice"),
                        new WindowExtension.By(Duration.ofHours(2), "bob"));
        assertThat(o.forcedClose()).contains(new ForcedClose(T.plusSeconds(3), "carol"));
    }

    @Test
    void reportShouldReadBackAsStoredWhenDomainCompleted() throws Exception {
        CutoverRecords records = new CutoverRecords(open(dir.resolve("mx.db")));
        String id = records.begin("a.example", T, "alice", "go-live", false, CHECKS, 5);
        WindowVerdict window = new WindowVerdict(
                WindowState.CLOSED,
                Optional.of(T.plus(Duration.ofHours(48))),
                WindowTerm.MX_SWITCH,
                "MX switch seen ... + 48h");
        DomainReport report = new DomainReport(
                "a.example",
                true,
                CutoverPhase.COMPLETED,
                T.plus(Duration.ofHours(49)),
                Optional.of(T),
                Optional.of("alice"),
                Optional.of("go-live"),
                false,
                CHECKS,
                Optional.of(T.plusSeconds(9)),
                List.of(FinalPass.copied("anna@a.example", 3)),
                Optional.of(T.plus(Duration.ofHours(49))),
                Optional.of(window),
                true,
                120,
                7,
                List.of(
                        MailboxProgress.verified("anna@a.example", true, 0, T),
                        MailboxProgress.unverified("bob@a.example", false)),
                List.of("bob@a.example: login failed"),
                true,
                "completed");

        records.storeReport(id, T.plus(Duration.ofHours(49)), report);

        assertThat(records.report(id)).contains(report);
        assertThat(records.report("no-such-cutover")).isEmpty();
    }

    @Test
    void reportShouldShowEstimateNextToActualCopyWhenInventoryTimedIt() throws Exception {
        CutoverRecords records = new CutoverRecords(open(dir.resolve("mx.db")));
        String id = records.begin("a.example", T, "alice", "go-live", false, CHECKS, 5);
        CopyTiming timing = new CopyTiming(
                12.6,
                "12.6 s",
                "SAMPLE: sample copy of 150 message(s) from anna@a.example",
                "done",
                Optional.of(10.7),
                Optional.of("10.7 s"),
                Optional.of(0.85),
                Optional.of(true));
        DomainReport report = new DomainReport(
                "a.example",
                true,
                CutoverPhase.COMPLETED,
                T,
                Optional.of(T),
                Optional.of("alice"),
                Optional.of("go-live"),
                false,
                CHECKS,
                Optional.empty(),
                List.of(),
                Optional.of(T),
                Optional.empty(),
                true,
                120,
                0,
                List.of(MailboxProgress.verified("anna@a.example", true, 0, T)),
                List.of(),
                true,
                "completed",
                Optional.empty(),
                Optional.of(timing));

        records.storeReport(id, T, report);

        assertThat(records.report(id)).contains(report);
        assertThat(DomainReportCsv.write(report).split("\r\n"))
                .containsExactly(
                        "domain,mailbox,history_copied,missing_on_new,final_pass_additional,final_pass_error,phase,complete,"
                                + "estimated_copy_seconds,actual_copy_seconds",
                        "a.example,anna@a.example,true,0,,,COMPLETED,true,12.6,10.7");
        String json = io.dropwizard.jackson.Jackson.newObjectMapper()
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writeValueAsString(report);
        assertThat(json)
                .contains("\"copyTiming\":{", "\"estimatedSeconds\":12.6", "\"estimate\":\"12.6 s\"")
                .contains("\"actualSeconds\":10.7", "\"ratio\":0.85", "\"withinTolerance\":true");
    }
}
