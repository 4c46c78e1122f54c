package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.cli.SyncCli;
import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.folder.FolderMove;
import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.report.SyncReportCsv;
import io.mxcutover.sync.state.FolderProgress;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.Maildir;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.verify.FolderVerdict;
import io.mxcutover.sync.verify.VerifyReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a verification says besides READY (issue 10): messages the user deleted on new (not copied
 * again), dates the new server did not keep, folders renamed or merged by the plan; and that "no
 * folder to compare" is not READY. Against the real Dovecot pair.
 */
@ExtendWith(DovecotPair.class)
class SyncVerifyIT {
    static final Instant FUTURE = Instant.parse("2040-01-01T00:00:00Z");

    @Test
    void verifyShouldReportDeletionsDatesNotKeptAndFolderMovesWhenReady(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("verify");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.create("INBOX.Projekte");
            c.create("INBOX.Alt");
            for (int i = 0; i < 3; i++) {
                c.append(
                        "INBOX",
                        null,
                        "0" + (i + 1) + "-Mar-2015 00:00:01 +0000",
                        SyncFixture.message("Subject: v" + i + "\nMessage-ID: <v" + i + "@x>", "v" + i + "\n"));
            }
            c.append(
                    "INBOX.Projekte",
                    null,
                    "04-Apr-2016 12:00:00 +0000",
                    SyncFixture.message("Subject: p\nMessage-ID: <p@x>", "p\n"));
            c.append(
                    "INBOX.Alt",
                    null,
                    "05-May-2017 12:00:00 +0000",
                    SyncFixture.message("Subject: a\nMessage-ID: <a@x>", "a\n"));
        }
        // A message dated in the future on legacy (as in the SpamAssassin corpus): written as a Maildir
        // file whose mtime is its INTERNALDATE, what an old server holds.
        Path inbox = Maildir.folder(servers.legacy().real().mailRoot(), user, "INBOX");
        Maildir.write(
                inbox, SyncFixture.message("Subject: from the future\nMessage-ID: <future@x>", "f\n"), "", FUTURE);
        Maildir.touch(inbox);
        String legacyDate = dateOf(servers.legacy(), user, "INBOX", "<future@x>");

        // Projekte goes into the folder Projects the user already has on new (a merge), Alt gets a new name.
        try (RawImapClient c =
                new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
            c.create("Projects");
        }
        SyncSettings settings = SyncFixture.settings(servers)
                .withFolderRules(new FolderRules(List.of(), List.of(), Map.of("Projekte", "Projects", "Alt", "Altes")));
        String address = user + "@example.test";
        try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            MailboxResult r = service.syncOnce(address);
            assertThat(r.complete()).as(String.valueOf(r)).isTrue();
            assertThat(r.moves())
                    .extracting(FolderMove::sourceFolder, FolderMove::kind)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("INBOX.Projekte", FolderMove.Kind.MERGED),
                            org.assertj.core.groups.Tuple.tuple("INBOX.Alt", FolderMove.Kind.RENAMED));
            String newDate = dateOf(servers.target(), user, "INBOX", "<future@x>");
            System.out.printf("future-dated message: INTERNALDATE on legacy %s, on new %s%n", legacyDate, newDate);

            try (RawImapClient c =
                    new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
                c.command("SELECT INBOX");
                c.command("UID STORE 1 +FLAGS.SILENT (\\Deleted)");
                c.command("EXPUNGE");
            }
            assertThat(service.syncOnce(address).copied()).isZero();
            // Every pass lists the moves, also one that copies nothing and never logs in to new.
            assertThat(service.syncOnce(address).moves()).hasSize(2);

            VerifyReport v = service.verify(address, true);
            assertThat(v.verdict()).as(v.toString()).isEqualTo(VerifyReport.Verdict.READY);
            assertThat(v.deletedOnTarget()).isEqualTo(1);
            assertThat(v.folders())
                    .filteredOn(f -> f.sourceFolder().equals("INBOX"))
                    .extracting(FolderVerdict::deletedOnTarget)
                    .containsExactly(1L);
            assertThat(v.reason())
                    .contains(
                            "1 message(s) the user deleted on the new server",
                            "'INBOX' 1",
                            "'INBOX.Projekte' merged into 'Projects'",
                            "'INBOX.Alt' renamed to 'Altes'");
            assertThat(v.datesNotKept())
                    .as("legacy %s, new %s", legacyDate, newDate)
                    .isEqualTo(1);
            assertThat(v.folders().stream().flatMap(f -> f.datesNotKept().stream()))
                    .singleElement()
                    .satisfies(m -> assertThat(m.why())
                            .contains("01-Jan-2040 00:00:00 UTC on legacy", "did not keep the date"));
            assertThat(v.reason()).contains("warning: 1 message(s) whose date the new server did not keep");

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            SyncCli.printVerify(v, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .contains(
                            "deleted on new INBOX -> INBOX: 1 message(s)",
                            "deleted on new, total: 1",
                            "warning: date not kept INBOX",
                            "dates not kept, total: 1",
                            "folder 'INBOX.Projekte' merged into 'Projects' (folder rename rule 'Projekte' -> 'Projects')");
            StringWriter csv = new StringWriter();
            SyncReportCsv.write(v, csv);
            assertThat(csv.toString())
                    .contains("deleted_on_new,dates_not_kept", address + ",READY,INBOX,INBOX,")
                    .contains("INBOX.Projekte,Projects,1,1,0,0,0,0,0,MERGED");
            assertThat(service.report().mailboxes().get(0).folders())
                    .extracting(FolderProgress::sourceFolder, FolderProgress::move)
                    .contains(org.assertj.core.groups.Tuple.tuple("INBOX.Alt", "RENAMED"));
        }
    }

    @Test
    void verifyShouldNotBeReadyWhenNoFolderIsCompared(DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        String user = servers.newUser("verifynone");
        SyncSettings settings =
                SyncFixture.settings(servers).withFolderRules(new FolderRules(List.of(), List.of("*"), Map.of()));
        try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            VerifyReport v = service.verify(user + "@example.test", false);
            assertThat(v.verdict()).as(v.toString()).isEqualTo(VerifyReport.Verdict.NOT_READY);
            assertThat(v.reason()).contains("nothing was verified");
        }
    }

    @Test
    void verifyShouldNotClaimIdenticalBytesWhenItComparedNone(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("verifyid");
        byte[] m = SyncFixture.message("Subject: already there\nMessage-ID: <there@x>", "there\n");
        // The same message on both sides before the first pass: the sync adopts it (no copy, no hash recorded).
        for (DovecotPair.Server s : List.of(servers.legacy(), servers.target())) {
            try (RawImapClient c = new RawImapClient(s.host(), s.port(), user, user + "-pw")) {
                c.append("INBOX", null, "01-Jan-2019 00:00:00 +0000", m);
            }
        }
        try (SyncService service = SyncFixture.service(servers, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            assertThat(service.syncOnce(user + "@example.test").copied()).isZero();
            VerifyReport quick = service.verify(user + "@example.test", false);
            assertThat(quick.verdict()).isEqualTo(VerifyReport.Verdict.READY);
            assertThat(quick.reason()).doesNotContain("identical bytes").contains("1 found by identity only");
            VerifyReport deep = service.verify(user + "@example.test", true);
            assertThat(deep.reason()).contains("with identical bytes");
        }
    }

    static String dateOf(DovecotPair.Server s, String user, String folder, String messageId) throws Exception {
        try (RawImapClient c = new RawImapClient(s.host(), s.port(), user, user + "-pw")) {
            return c.fetchAll(folder).stream()
                    .filter(f -> new String(f.body(), StandardCharsets.ISO_8859_1).contains(messageId))
                    .map(RawImapClient.Fetched::internalDate)
                    .findFirst()
                    .orElse("(not there)");
        }
    }
}
