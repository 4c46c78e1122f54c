package io.mxcutover.sync.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.plan.CopyState;
import io.mxcutover.sync.plan.Identity;
import io.mxcutover.sync.plan.MessageMeta;
import io.mxcutover.sync.testing.TestState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract on SQLite; {@code SyncStorePostgresIT} runs the same tests on PostgreSQL. */
class SyncStoreTest {
    /** A migrated, empty sync state for one test. */
    DataSource state(Path dir) {
        return TestState.open(dir.resolve("s.db"));
    }

    static MessageMeta meta(long uid, String digest) {
        return new MessageMeta(
                uid, new Identity("<" + digest + "@x>", 10 * uid, 1000 + uid, digest), Set.of("\\Seen"), 0);
    }

    @Test
    void journalShouldGoFromIntentToDoneWhenCopied(@TempDir Path dir) {
        SyncStore store = new SyncStore(state(dir), Clock.systemUTC());
        store.recordIntents("a@x", "INBOX", "INBOX", 7, List.of(meta(1, "d1"), meta(2, "d2")));
        assertThat(store.folderState("a@x", "INBOX").records())
                .extracting(r -> r.state())
                .containsOnly(CopyState.INTENT);
        store.recordCopied("a@x", "INBOX", "INBOX", 7, List.of(new SyncStore.Copied(meta(1, "d1"), 9, 100, "abc")));
        var records = store.folderState("a@x", "INBOX").records();
        assertThat(records).hasSize(2);
        var done = records.stream().filter(r -> r.sourceUid() == 1).findFirst().orElseThrow();
        assertThat(done.state()).isEqualTo(CopyState.DONE);
        assertThat(done.targetUid()).isEqualTo(100);
        assertThat(done.identity().key()).isEqualTo(meta(1, "d1").identity().key());
        assertThat(done.syncedFlags()).containsExactly("\\Seen");
        assertThat(store.contentHashes("a@x", "INBOX", 7)).containsExactly(Map.entry(1L, "abc"));
        assertThat(store.progress("a@x")).singleElement().satisfies(p -> {
            assertThat(p.done()).isEqualTo(1);
            assertThat(p.intents()).isEqualTo(1);
        });
    }

    @Test
    void rebindShouldMoveRecordToNewUidValidityWhenSourceChanged(@TempDir Path dir) {
        SyncStore store = new SyncStore(state(dir), Clock.systemUTC());
        store.recordCopied("a@x", "F", "F", 7, List.of(new SyncStore.Copied(meta(1, "d1"), 9, 100, "h")));
        var old = store.folderState("a@x", "F").records().get(0);
        store.rebind("a@x", "F", 8, List.of(Map.entry(old, meta(5, "d1"))));
        var now = store.folderState("a@x", "F").records();
        assertThat(now).singleElement().satisfies(r -> {
            assertThat(r.sourceUidValidity()).isEqualTo(8);
            assertThat(r.sourceUid()).isEqualTo(5);
            assertThat(r.targetUid()).isEqualTo(100);
        });
    }

    @Test
    void mailboxShouldAwaitItsUserUntilLoginAndKeepThePasswordWhenReimportedWithout(@TempDir Path dir)
            throws Exception {
        SyncStore store = new SyncStore(state(dir), Clock.systemUTC());
        SecretBox box = SecretBox.fromKeyFile(dir.resolve("key"));
        List<MailboxAccount> addressOnly =
                List.of(new MailboxAccount("a@x", Login.password("a@x", ""), Login.password("a@x", "")));
        store.saveMailboxes(addressOnly, box, a -> a.source().secret().isEmpty());
        assertThat(store.mailbox("a@x").orElseThrow().phase()).isEqualTo(MailboxStatus.Phase.AWAITING_USER);
        assertThat(store.awaitingUser())
                .singleElement()
                .satisfies(w -> assertThat(w.importedAt()).isPresent());

        assertThat(store.userLoggedIn(
                        "a@x", io.mxcutover.sync.credential.Secret.of("old-pw"), java.util.Optional.empty(), box))
                .isTrue();
        assertThat(store.mailbox("a@x").orElseThrow().phase()).isEqualTo(MailboxStatus.Phase.PENDING);
        assertThat(store.awaitingUser()).isEmpty();
        assertThat(store.userLoggedIn(
                        "b@x", io.mxcutover.sync.credential.Secret.of("p"), java.util.Optional.empty(), box))
                .isFalse();

        // The admin imports the same list again: the password the user gave stays, and so does the state.
        store.saveMailboxes(addressOnly, box, a -> a.source().secret().isEmpty());
        assertThat(store.account("a@x", box).orElseThrow().source().secret().reveal())
                .isEqualTo("old-pw");
        assertThat(store.mailbox("a@x").orElseThrow().phase()).isEqualTo(MailboxStatus.Phase.PENDING);
    }

    @Test
    void mailboxesShouldBeStoredSealedWhenImported(@TempDir Path dir) throws Exception {
        DataSource ds = state(dir);
        SyncStore store = new SyncStore(ds, Clock.systemUTC());
        SecretBox box = SecretBox.fromKeyFile(dir.resolve("key"));
        store.saveMailboxes(
                List.of(new MailboxAccount("a@x", Login.password("a", "hunter2"), Login.password("a", "hunter3"))),
                box);
        assertThat(store.account("a@x", box).orElseThrow().target().secret().reveal())
                .isEqualTo("hunter3");
        assertThat(store.mailboxes())
                .singleElement()
                .extracting(MailboxStatus::phase)
                .isEqualTo(MailboxStatus.Phase.PENDING);
        try (Connection c = ds.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT * FROM sync_mailbox")) {
            rs.next();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                assertThat(String.valueOf(rs.getObject(i))).doesNotContain("hunter");
            }
        }
        if (Files.exists(dir.resolve("s.db"))) { // SQLite: not in the file either (PostgreSQL: the columns above)
            assertThat(new String(
                            Files.readAllBytes(dir.resolve("s.db")), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("hunter2");
        }
    }

    @Test
    void checkpointAndFailuresShouldRoundTripWhenSaved(@TempDir Path dir) {
        SyncStore store = new SyncStore(state(dir), Clock.systemUTC());
        FolderCheckpoint cp = new FolderCheckpoint(
                "INBOX.Sent",
                "Sent",
                new FolderCheckpoint.SideStatus(1, 2, 3, 4),
                new FolderCheckpoint.SideStatus(5, 6, 7, 8),
                true);
        store.saveCheckpoint("a@x", cp);
        store.saveCheckpoint("a@x", cp);
        assertThat(store.checkpoint("a@x", "INBOX.Sent")).contains(cp);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        store.recordFailure(
                new Failure("a@x", "F", 7, 3, "MESSAGE", "NO [TOOBIG] too big", 1, t, t, t.plusSeconds(60)));
        store.recordFailure(
                new Failure("a@x", "F", 7, 3, "MESSAGE", "NO [TOOBIG] too big", 2, t, t, t.plusSeconds(120)));
        assertThat(store.failures("a@x")).singleElement().satisfies(f -> {
            assertThat(f.attempts()).isEqualTo(2);
            assertThat(f.nextAttemptAt()).isEqualTo(t.plusSeconds(120));
        });
        store.clearFailures("a@x", "F", 7, List.of(3L));
        assertThat(store.failures("a@x")).isEmpty();
    }

    /** The end of a pass, one transaction: phase, the mailbox's own failure unless it failed, completed folders'. */
    @Test
    void mailboxFinishedShouldClearTheFailuresThePassGotThrough(@TempDir Path dir) throws Exception {
        SyncStore store = new SyncStore(state(dir), Clock.systemUTC());
        store.saveMailboxes(
                List.of(new MailboxAccount("a@x", Login.password("a", "pw"), Login.password("a", "pw"))),
                SecretBox.fromKeyFile(dir.resolve("key")));
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        store.recordFailure(new Failure("a@x", "", 0, 0, "MAILBOX", "login refused", 1, t, t, t));
        store.recordFailure(new Failure("a@x", "Sent", 0, 0, "FOLDER", "NO refused", 1, t, t, t));
        store.recordFailure(new Failure("a@x", "Junk", 0, 0, "FOLDER", "NO refused", 1, t, t, t));

        store.mailboxFinished("a@x", MailboxStatus.Phase.FAILED, "login refused again", List.of("Sent"));
        assertThat(store.failures("a@x"))
                .extracting(Failure::reason)
                .containsExactlyInAnyOrder("login refused", "NO refused");
        assertThat(store.mailbox("a@x").orElseThrow().phase()).isEqualTo(MailboxStatus.Phase.FAILED);

        store.mailboxFinished("a@x", MailboxStatus.Phase.SYNCED, null, List.of("Junk"));
        assertThat(store.failures("a@x")).isEmpty();
        assertThat(store.mailbox("a@x").orElseThrow().phase()).isEqualTo(MailboxStatus.Phase.SYNCED);
    }

    @Test
    void folderPlanShouldKeepCreatedLinesAndReplacePlannedOnesWhenPlannedAgain(@TempDir Path dir) {
        SyncStore store = new SyncStore(state(dir), Clock.systemUTC());
        io.mxcutover.sync.folder.FolderMove same = new io.mxcutover.sync.folder.FolderMove(
                "INBOX.Sent", "Sent", io.mxcutover.sync.folder.FolderMove.Kind.SAME, "");
        io.mxcutover.sync.folder.FolderMove merged = new io.mxcutover.sync.folder.FolderMove(
                "INBOX.Entwürfe", "Drafts", io.mxcutover.sync.folder.FolderMove.Kind.MERGED, "special use \\Drafts");
        store.planFolders(
                "a@x",
                List.of(
                        new PlannedFolder("INBOX.Sent", "Sent", true, false, same),
                        new PlannedFolder("INBOX.Entwürfe", "Drafts", false, true, merged)));
        store.folderCreated("a@x", "INBOX.Sent");
        assertThat(store.plannedFolders("a@x"))
                .extracting(PlannedFolder::sourceFolder, PlannedFolder::created)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("INBOX.Sent", true),
                        org.assertj.core.groups.Tuple.tuple("INBOX.Entwürfe", true));
        // Planned again with other targets: lines whose folder exists stand.
        store.planFolders("a@x", List.of(new PlannedFolder("INBOX.Sent", "Sent-2", true, false, same)));
        assertThat(store.plannedFolders("a@x"))
                .filteredOn(p -> p.sourceFolder().equals("INBOX.Sent"))
                .extracting(PlannedFolder::targetFolder)
                .containsExactly("Sent");
        store.planFolders("a@x", List.of(new PlannedFolder("INBOX.Work", "Work", true, false, same)));
        store.planFolders("a@x", List.of(new PlannedFolder("INBOX.Work", "Arbeit", true, false, same)));
        assertThat(store.plannedFolders("a@x"))
                .filteredOn(p -> p.sourceFolder().equals("INBOX.Work"))
                .extracting(PlannedFolder::targetFolder)
                .containsExactly("Arbeit");
        assertThat(store.progress("a@x"))
                .filteredOn(p -> p.sourceFolder().equals("INBOX.Entwürfe"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.move()).isEqualTo("MERGED");
                    assertThat(p.moveReason()).contains("Drafts");
                });
    }
}
