package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.FolderResult;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.RawImapClient.Fetched;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.verify.VerifyReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Full copy legacy ('.' / INBOX.) -> new ('/') against real Dovecot; rerun; delete on target; verify. */
@ExtendWith(DovecotPair.class)
class SyncCopyIT {
    static final String UMLAUT_FOLDER = "Entwürfe Ärger";
    static final String CJK_FOLDER = "日本語";

    @Test
    void syncShouldCopyEveryMessageByteExactWithFlagsAndDatesWhenRunOnce(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("copy");
        seed(servers, user);
        Map<String, List<Fetched>> legacyBefore = snapshot(servers.legacy(), user, legacyFolders());

        try (SyncService service = SyncFixture.service(servers, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            MailboxResult first = service.syncOnce(user + "@example.test");
            assertThat(first.phase()).as(String.valueOf(first)).isEqualTo(MailboxStatus.Phase.SYNCED);
            assertThat(first.copied()).isEqualTo(9);

            Map<String, String> mapping = new TreeMap<>(Map.of(
                    "INBOX",
                    "INBOX",
                    "INBOX.Sent",
                    "Sent",
                    "INBOX.Archive.2019",
                    "Archive/2019",
                    "INBOX." + UMLAUT_FOLDER,
                    UMLAUT_FOLDER,
                    "INBOX." + CJK_FOLDER + ".Unter",
                    CJK_FOLDER + "/Unter"));
            Map<String, List<Fetched>> target =
                    snapshot(servers.target(), user, mapping.values().stream().toList());
            for (Map.Entry<String, String> e : mapping.entrySet()) {
                assertSameMessages(legacyBefore.get(e.getKey()), target.get(e.getValue()), e.getKey());
            }
            // The legacy server is read-only to sync: same flags (no \Seen), same messages.
            Map<String, List<Fetched>> legacyAfter = snapshot(servers.legacy(), user, legacyFolders());
            for (String f : legacyFolders()) {
                assertSameMessages(legacyBefore.get(f), legacyAfter.get(f), f);
            }

            MailboxResult rerun = service.syncOnce(user + "@example.test");
            assertThat(rerun.copied()).isZero();
            assertThat(rerun.folders()).allMatch(FolderResult::unchanged);

            // The user deletes a message on the new server: it must not come back.
            try (RawImapClient c =
                    new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
                c.command("SELECT INBOX");
                c.command("UID STORE 1 +FLAGS.SILENT (\\Deleted)");
                c.command("EXPUNGE");
            }
            MailboxResult afterDelete = service.syncOnce(user + "@example.test");
            assertThat(afterDelete.copied()).isZero();
            assertThat(snapshot(servers.target(), user, List.of("INBOX")).get("INBOX"))
                    .hasSize(3);

            VerifyReport verdict = service.verify(user + "@example.test", true);
            assertThat(verdict.verdict()).as(verdict.toString()).isEqualTo(VerifyReport.Verdict.READY);
            assertThat(verdict.folders().stream()
                            .mapToLong(f -> f.deletedOnTarget())
                            .sum())
                    .isEqualTo(1);
        }
    }

    @Test
    void flagChangesOnLegacyShouldFollowWithoutRevertingUserChangesOnNew(DovecotPair.Servers servers, @TempDir Path tmp)
            throws Exception {
        String user = servers.newUser("flags");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.append("INBOX", null, null, SyncFixture.message("Subject: f\nMessage-ID: <f@x>", "f\n"));
        }
        try (SyncService service = SyncFixture.service(servers, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));
            assertThat(service.syncOnce(user + "@example.test").copied()).isEqualTo(1);
            // The user reads it on the new server; later someone flags it on legacy (CONDSTORE sees the change).
            try (RawImapClient c =
                    new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
                c.command("SELECT INBOX");
                c.command("UID STORE 1 +FLAGS.SILENT (\\Seen $UserLabel)");
            }
            try (RawImapClient c =
                    new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
                c.command("SELECT INBOX");
                c.command("UID STORE 1 +FLAGS.SILENT (\\Flagged)");
            }
            MailboxResult r = service.syncOnce(user + "@example.test");
            assertThat(r.copied()).isZero();
            assertThat(r.folders().stream().mapToLong(FolderResult::flagUpdates).sum())
                    .isEqualTo(1);
            assertThat(snapshot(servers.target(), user, List.of("INBOX")).get("INBOX"))
                    .singleElement()
                    .satisfies(
                            m -> assertThat(m.flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged", "$UserLabel"));
        }
    }

    static List<String> legacyFolders() {
        return List.of(
                "INBOX",
                "INBOX.Sent",
                "INBOX.Archive.2019",
                "INBOX." + UMLAUT_FOLDER,
                "INBOX." + CJK_FOLDER + ".Unter");
    }

    static void seed(DovecotPair.Servers servers, String user) throws Exception {
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            for (String f : List.of(
                    "INBOX.Archive",
                    "INBOX.Archive.2019",
                    "INBOX." + UMLAUT_FOLDER,
                    "INBOX." + CJK_FOLDER,
                    "INBOX." + CJK_FOLDER + ".Unter")) {
                c.create(BASE64MailboxEncoder.encode(f));
            }
            c.append(
                    "INBOX",
                    "\\Seen",
                    "01-Jan-2005 10:00:00 +0100",
                    SyncFixture.message(
                            "From: a@example.test\nTo: b@example.test\nSubject: plain\nMessage-ID: <m1@example.test>\nDate: Sat, 1 Jan 2005 10:00:00 +0100",
                            "hello\n"));
            c.append(
                    "INBOX",
                    "\\Flagged $Label1 NonJunk",
                    "02-Feb-2010 23:59:59 -0800",
                    SyncFixture.message(
                            "From: a@example.test\nSubject: keywords\nMessage-ID: <m2@example.test>", "keywords\n"));
            c.append(
                    "INBOX",
                    null,
                    "03-Mar-2015 00:00:01 +0000",
                    SyncFixture.message("From: c@example.test\nSubject: no message id", "I have no Message-ID\n"));
            c.append(
                    "INBOX",
                    "\\Answered",
                    "03-Mar-2015 00:00:01 +0000",
                    SyncFixture.message(
                            "From: c@example.test\nSubject: =?UTF-8?B?w6TDtsO8?= 8bit \u00e9t\u00e9\nMessage-ID: <m4@example.test>",
                            "8-bit body \u00e9\u00e8\n"));
            c.append(
                    "INBOX.Sent",
                    "\\Seen",
                    "04-Apr-2016 12:00:00 +0200",
                    SyncFixture.message(
                            "From: me@example.test\nSubject: sent\nMessage-ID: <dup@example.test>",
                            "first of two with the same id\n"));
            c.append(
                    "INBOX.Sent",
                    "\\Seen",
                    "04-Apr-2016 12:00:00 +0200",
                    SyncFixture.message(
                            "From: me@example.test\nSubject: sent again\nMessage-ID: <dup@example.test>",
                            "second of two with the same id, longer\n"));
            c.append(
                    "INBOX.Archive.2019",
                    "\\Seen \\Draft",
                    "05-May-2019 05:05:05 +0000",
                    SyncFixture.message(
                            "From: x@example.test\nSubject: archived\nMessage-ID: <m7@example.test>", "old\n"));
            c.append(
                    BASE64MailboxEncoder.encode("INBOX." + UMLAUT_FOLDER),
                    null,
                    "06-Jun-2020 06:06:06 +0000",
                    SyncFixture.message(
                            "From: x@example.test\nSubject: umlaut folder\nMessage-ID: <m8@example.test>", "x\n"));
            c.append(
                    BASE64MailboxEncoder.encode("INBOX." + CJK_FOLDER + ".Unter"),
                    null,
                    "07-Jul-2021 07:07:07 +0000",
                    SyncFixture.message(
                            "From: x@example.test\nSubject: cjk folder\nMessage-ID: <m9@example.test>", "y\n"));
        }
    }

    static Map<String, List<Fetched>> snapshot(DovecotPair.Server server, String user, List<String> folders)
            throws Exception {
        Map<String, List<Fetched>> out = new TreeMap<>();
        try (RawImapClient c = new RawImapClient(server.host(), server.port(), user, user + "-pw")) {
            for (String f : folders) {
                out.put(f, c.fetchAll(BASE64MailboxEncoder.encode(f)));
            }
        }
        return out;
    }

    static long epoch(String internalDate) {
        return java.time.ZonedDateTime.parse(
                        internalDate.trim(),
                        java.time.format.DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", java.util.Locale.US))
                .toEpochSecond();
    }

    static void assertSameMessages(List<Fetched> expected, List<Fetched> actual, String folder) {
        assertThat(actual).as("folder " + folder).isNotNull();
        assertThat(actual.stream()
                        .map(f -> SyncFixture.sha256(f.body()))
                        .sorted()
                        .toList())
                .as("bytes in " + folder)
                .isEqualTo(expected.stream()
                        .map(f -> SyncFixture.sha256(f.body()))
                        .sorted()
                        .toList());
        assertThat(actual.stream()
                        .map(f -> SyncFixture.sha256(f.body()) + " " + f.flags() + " " + epoch(f.internalDate()))
                        .sorted()
                        .toList())
                .as("flags and dates in " + folder)
                .isEqualTo(expected.stream()
                        .map(f -> SyncFixture.sha256(f.body()) + " " + f.flags() + " " + epoch(f.internalDate()))
                        .sorted()
                        .toList());
    }
}
