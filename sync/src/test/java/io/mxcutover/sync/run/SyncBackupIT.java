package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.backup.BackupReport;
import io.mxcutover.sync.backup.MaildirBackup;
import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.RawImapClient.Fetched;
import io.mxcutover.sync.testing.SyncFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Maildir backup of a legacy mailbox before its first copy, and the new server checked against it. */
@ExtendWith(DovecotPair.class)
class SyncBackupIT {

    @Test
    void backupShouldHoldExactBytesFlagsAndDatesAndCheckShouldListWhatNewServerLacks(
            DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        String user = servers.newUser("bak");
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.create("INBOX.Archive.2019");
            c.create("INBOX.Caf&AOk-");
            c.append(
                    "INBOX",
                    "\\Seen \\Flagged",
                    "01-Feb-2019 10:00:00 +0000",
                    SyncFixture.message("Subject: read and flagged\nMessage-ID: <b1@x>", "one\n"));
            c.append(
                    "INBOX",
                    "$Work \\Answered",
                    "02-Feb-2019 10:00:00 +0000",
                    SyncFixture.message("Subject: keyword\nMessage-ID: <b2@x>", "two\n"));
            c.append("INBOX", null, null, SyncFixture.message("Subject: no message id", "three\n"));
            c.append(
                    "INBOX.Archive.2019",
                    "\\Seen",
                    "31-Dec-2009 23:59:59 +0000",
                    SyncFixture.message("Subject: old\nMessage-ID: <b4@x>", "four\n"));
            c.append(
                    "INBOX.Caf&AOk-",
                    null,
                    "03-Mar-2020 12:00:00 +0000",
                    SyncFixture.message("Subject: accent\nMessage-ID: <b5@x>", "five\n"));
        }
        Map<String, List<Fetched>> legacyBefore = legacy(servers, user);
        Path backupDir = tmp.resolve("backup");
        String address = user + "@example.test";
        SyncSettings settings = SyncFixture.settings(servers).withBackupDir(backupDir);
        try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE)) {
            service.addMailboxes(List.of(SyncFixture.account(user)));

            MailboxResult r = service.syncOnce(address);

            assertThat(r.phase()).as(String.valueOf(r.reason())).isEqualTo(MailboxStatus.Phase.SYNCED);
            assertThat(r.copied()).isEqualTo(5);
            Path root = backupDir.resolve(address);
            assertThat(root.resolve(MaildirBackup.COMPLETE)).exists();
            // Every legacy message is a file with its exact bytes, flags in the name, INTERNALDATE as mtime.
            Map<String, String> dirs =
                    Map.of("INBOX", "", "INBOX.Archive.2019", ".Archive.2019", "INBOX.Caf&AOk-", ".Caf&AOk-");
            for (Map.Entry<String, List<Fetched>> e : legacyBefore.entrySet()) {
                Path cur = (dirs.get(e.getKey()).isEmpty() ? root : root.resolve(dirs.get(e.getKey()))).resolve("cur");
                List<Path> files = list(cur);
                assertThat(files).as("backup of %s", e.getKey()).hasSameSizeAs(e.getValue());
                for (Fetched m : e.getValue()) {
                    Path file = files.stream()
                            .filter(p -> p.getFileName().toString().contains(".M" + m.uid() + "V"))
                            .findFirst()
                            .orElseThrow();
                    assertThat(Files.readAllBytes(file)).isEqualTo(m.body());
                    assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(internalDate(m.internalDate()));
                    String info = file.getFileName()
                            .toString()
                            .substring(file.getFileName().toString().indexOf(":2,") + 3);
                    StringBuilder expected = new StringBuilder();
                    if (m.flags().contains("\\Flagged")) {
                        expected.append('F');
                    }
                    if (m.flags().contains("\\Answered")) {
                        expected.append('R');
                    }
                    if (m.flags().contains("\\Seen")) {
                        expected.append('S');
                    }
                    if (m.flags().contains("$Work")) {
                        expected.append('a');
                    }
                    assertThat(info).as(file.toString()).isEqualTo(expected.toString());
                }
            }
            assertThat(Files.readString(root.resolve(MaildirBackup.KEYWORDS))).isEqualTo("0 $Work\n");
            assertThat(summary(legacy(servers, user))).as("legacy untouched").isEqualTo(summary(legacyBefore));

            BackupReport ok = service.checkBackup(address, backupDir);
            assertThat(ok.complete()).as(ok.toString()).isTrue();
            assertThat(ok.backedUp()).isEqualTo(5);
            assertThat(ok.found()).isEqualTo(5);
            assertThat(ok.different()).isEmpty();

            // A backup without its completion marker (it stopped half-way) checks only part of the
            // mailbox: never COMPLETE, even when everything it holds is on the new server.
            Path marker = root.resolve(MaildirBackup.COMPLETE);
            Path aside = root.resolve("marker-aside");
            Files.move(marker, aside);
            BackupReport partial = service.checkBackup(address, backupDir);
            assertThat(partial.missing()).isEmpty();
            assertThat(partial.backupFinished()).isFalse();
            assertThat(partial.complete()).isFalse();
            Files.move(aside, marker);

            // The new server loses a message (the user deleted it, or a bad migration): the check names it.
            try (RawImapClient c =
                    new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
                c.command("SELECT \"Archive/2019\"");
                c.command("UID STORE 1:* +FLAGS.SILENT (\\Deleted)");
                c.command("EXPUNGE");
            }
            BackupReport lacking = service.checkBackup(address, backupDir);
            assertThat(lacking.complete()).isFalse();
            assertThat(lacking.missing()).singleElement().satisfies(m -> {
                assertThat(m.folder()).isEqualTo("INBOX.Archive.2019");
                assertThat(m.messageId()).isEqualTo("<b4@x>");
                assertThat(m.why()).contains("Archive/2019", "new server");
            });
            // The backup is taken once: a second pass does not rewrite it.
            long before = Files.getLastModifiedTime(root.resolve(MaildirBackup.COMPLETE))
                    .toMillis();
            service.syncOnce(address);
            assertThat(Files.getLastModifiedTime(root.resolve(MaildirBackup.COMPLETE))
                            .toMillis())
                    .isEqualTo(before);
        }
    }

    static Map<String, List<Fetched>> legacy(DovecotPair.Servers servers, String user) throws Exception {
        Map<String, List<Fetched>> out = new TreeMap<>();
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            for (String f : List.of("INBOX", "INBOX.Archive.2019", "INBOX.Caf&AOk-")) {
                out.put(f, c.fetchAll(f));
            }
        }
        return out;
    }

    /** Fetched holds a byte[]: compare UID, flags, date and a hash of the bytes. */
    static Map<String, List<String>> summary(Map<String, List<Fetched>> folders) {
        Map<String, List<String>> out = new TreeMap<>();
        folders.forEach((k, v) -> out.put(
                k,
                v.stream()
                        .map(m ->
                                m.uid() + " " + m.flags() + " " + m.internalDate() + " " + SyncFixture.sha256(m.body()))
                        .toList()));
        return out;
    }

    static Instant internalDate(String imapDate) {
        return java.time.ZonedDateTime.parse(
                        imapDate.trim(),
                        java.time.format.DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", java.util.Locale.US))
                .toInstant();
    }

    static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.toList());
        }
    }
}
