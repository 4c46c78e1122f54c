package io.mxcutover.sync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.TargetStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.state.PlannedFolder;
import io.mxcutover.sync.state.SyncStore;
import io.mxcutover.sync.testing.MemoryMailbox;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new server's round trips per folder of a pass: the target folders it copies into are created before its
 * first folder is copied, all in one call (one round trip on IMAP), and journaled as created; a folder the new
 * server refuses is left to its turn, which fails that folder alone with the server's words. The checkpoints'
 * target STATUS is read for all folders in one call after the last one.
 */
class MailboxSyncFolderRoundTripsTest {
    private static final MailboxAccount ACCOUNT = MailboxSyncEarlyTargetTest.ACCOUNT;

    /** The crash test's pair (INBOX, INBOX.Drafts empty, INBOX.Work), recording the new server's calls. */
    static class Recording extends MailboxSyncCrashTest.Servers {
        final List<String> calls = new CopyOnWriteArrayList<>();

        Recording() {
            super(List.of("INBOX.Drafts"));
        }

        @Override
        public TargetStore openTarget(MailboxAccount account) throws ImapException {
            TargetStore real = super.openTarget(account);
            return (TargetStore) Proxy.newProxyInstance(
                    TargetStore.class.getClassLoader(), new Class<?>[] {TargetStore.class}, (p, m, args) -> {
                        switch (m.getName()) {
                            case "createFolders" -> calls.add("createFolders " + args[0]);
                            case "createFolder", "subscribe" -> calls.add(m.getName() + " " + args[0]);
                            case "append", "startAppend" -> calls.add("append " + args[0]);
                            case "status", "statuses", "snapshot" -> calls.add(m.getName() + " " + args[0]);
                            default -> {}
                        }
                        try {
                            return m.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    private static SyncStore store(Path dir) throws Exception {
        return MailboxSyncEarlyTargetTest.store(dir);
    }

    private static MailboxSync engine(SyncStore store, MailboxSessions servers) {
        return MailboxSyncEarlyTargetTest.engine(store, servers);
    }

    private static MailboxSync engine(SyncStore store, MailboxSessions servers, FaultInjector faults) {
        return MailboxSyncEarlyTargetTest.engine(store, servers, faults);
    }

    @Test
    void theMissingTargetFoldersShouldBeCreatedInOneCallBeforeTheFirstAppendAndJournaled(@TempDir Path dir)
            throws Exception {
        SyncStore store = store(dir);
        Recording servers = new Recording();

        MailboxResult r = engine(store, servers).run(ACCOUNT);

        assertThat(r.complete()).as(r.toString()).isTrue();
        servers.assertTargetHoldsTheSourceOnce("the history copy", List.of("Drafts"));
        assertThat(servers.calls.get(0)).isEqualTo("createFolders [Drafts, Work]");
        assertThat(servers.calls).noneMatch(c -> c.startsWith("createFolder ") || c.startsWith("subscribe "));
        assertThat(servers.calls.stream().filter(c -> c.startsWith("createFolders")))
                .hasSize(1);

        servers.calls.clear();
        MailboxResult again = engine(store, servers).run(ACCOUNT);
        assertThat(again.complete()).isTrue();
        assertThat(servers.calls).as("nothing to create on the next pass").noneMatch(c -> c.startsWith("create"));
    }

    /**
     * The folders created up front are journaled as created at once, not when the pass reaches them: a pass that
     * dies as its first folder is opened has every line of its plan marked created (by the sync).
     */
    @Test
    void theFoldersCreatedUpFrontShouldBeJournaledBeforeTheFirstFolderIsCopied(@TempDir Path dir) throws Exception {
        SyncStore store = store(dir);
        Recording servers = new Recording();
        FaultInjector dieAtFirstFolder = point -> {
            if (point == FaultPoint.FOLDER_READY) {
                throw new AssertionError("simulated crash at " + point);
            }
        };

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> engine(store, servers, dieAtFirstFolder).run(ACCOUNT))
                .hasMessageContaining("simulated crash");

        assertThat(servers.target.folderNames()).containsExactlyInAnyOrder("INBOX", "Drafts", "Work");
        assertThat(store.plannedFolders(ACCOUNT.address()))
                .as("every line of the plan journaled as created")
                .allMatch(PlannedFolder::created);
        assertThat(store.plannedFolders(ACCOUNT.address()).stream()
                        .filter(PlannedFolder::createdBySync)
                        .map(PlannedFolder::targetFolder))
                .containsExactlyInAnyOrder("Drafts", "Work");
    }

    /**
     * The checkpoints' target STATUS is read for every folder at once after the last folder, not one STATUS between
     * a folder's last APPEND and the next folder; the checkpoints hold it, and the next pass skips every folder.
     */
    @Test
    void theCheckpointsShouldTakeTheTargetStatusOfEveryFolderInOneCallAfterTheLastFolder(@TempDir Path dir)
            throws Exception {
        SyncStore store = store(dir);
        Recording servers = new Recording();

        MailboxResult r = engine(store, servers).run(ACCOUNT);

        assertThat(r.complete()).as(r.toString()).isTrue();
        assertThat(servers.calls).noneMatch(c -> c.startsWith("status "));
        List<String> statuses =
                servers.calls.stream().filter(c -> c.startsWith("statuses")).toList();
        assertThat(statuses)
                .as("one for the folders just created (before the first APPEND), one for the checkpoints")
                .containsExactly("statuses [Work]", "statuses [INBOX, Drafts, Work]");
        assertThat(servers.calls.get(servers.calls.size() - 1))
                .as("after the last APPEND")
                .isEqualTo(statuses.get(1));
        for (String[] pair : new String[][] {{"INBOX", "INBOX"}, {"INBOX.Work", "Work"}, {"INBOX.Drafts", "Drafts"}}) {
            io.mxcutover.sync.state.FolderCheckpoint cp =
                    store.checkpoint(ACCOUNT.address(), pair[0]).orElseThrow();
            assertThat(cp.complete()).isTrue();
            assertThat(cp.target().messages())
                    .as("'%s' on new, by its STATUS", pair[1])
                    .isEqualTo(servers.target.messages(pair[1]).size());
        }

        servers.calls.clear();
        MailboxResult again = engine(store, servers).run(ACCOUNT);
        assertThat(again.complete()).isTrue();
        assertThat(again.folders()).allMatch(FolderResult::unchanged);
    }

    @Test
    void aFolderTheNewServerRefusesShouldFailAloneWithItsReasonAndTheOthersBeCopied(@TempDir Path dir)
            throws Exception {
        SyncStore store = store(dir);
        Recording servers = new Recording();
        servers.target.inject((op, folder) -> {
            if (op == MemoryMailbox.Op.CREATE && folder.equals("Work")) {
                throw new ImapException(
                        ImapException.Kind.REFUSED,
                        "the target server new.test:143 refused to create folder 'Work': NO [CANNOT] Invalid name",
                        "NO [CANNOT] Invalid name",
                        null,
                        "new.test:143");
            }
        });

        MailboxResult r = engine(store, servers).run(ACCOUNT);

        assertThat(r.phase()).isEqualTo(MailboxStatus.Phase.INCOMPLETE);
        assertThat(r.reason()).contains("Work", "NO [CANNOT] Invalid name");
        assertThat(servers.calls).contains("createFolders [Drafts, Work]", "createFolder Work");
        assertThat(servers.target.folderNames()).containsExactlyInAnyOrder("INBOX", "Drafts");
        List<String> expected = servers.legacy.messages("INBOX").stream()
                .map(MemoryMailbox.Message::content)
                .toList();
        assertThat(servers.target.messages("INBOX").stream().map(MemoryMailbox.Message::content))
                .as("INBOX copied despite the refused folder")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * A folder this pass created is taken as empty by one STATUS of all of them right after the CREATEs, not read at
     * its turn (its SELECT and FETCH, two round trips a folder across a WAN); its copies are journaled with the
     * UIDVALIDITY that STATUS gave, and the next pass finds nothing to do.
     */
    @Test
    void aFolderJustCreatedShouldBeTakenAsEmptyByItsStatusAndNotReadAtItsTurn(@TempDir Path dir) throws Exception {
        SyncStore store = store(dir);
        Recording servers = new Recording();

        MailboxResult r = engine(store, servers).run(ACCOUNT);

        assertThat(r.complete()).as(r.toString()).isTrue();
        servers.assertTargetHoldsTheSourceOnce("the history copy", List.of("Drafts"));
        assertThat(servers.calls.subList(0, 2))
                .as("only the created folder with messages to copy (Drafts is empty on legacy)")
                .containsExactly("createFolders [Drafts, Work]", "statuses [Work]");
        assertThat(servers.calls).contains("snapshot INBOX").doesNotContain("snapshot Work");
        long workValidity =
                servers.target.openTarget().status("Work").orElseThrow().uidValidity();
        assertThat(store.folderState(ACCOUNT.address(), "INBOX.Work").records())
                .isNotEmpty()
                .allMatch(c -> c.targetUidValidity() == workValidity);

        MailboxResult again = engine(store, servers).run(ACCOUNT);
        assertThat(again.complete()).isTrue();
        assertThat(again.folders()).allMatch(FolderResult::unchanged);
        servers.assertTargetHoldsTheSourceOnce("a second pass", List.of("Drafts"));
    }

    /**
     * Only a STATUS that says "no message" counts: a message filed in the new folder between its CREATE and that
     * STATUS (here: the same message as one on legacy) makes the folder read at its turn, and the message is adopted,
     * not copied a second time.
     */
    @Test
    void aFolderJustCreatedThatHoldsAMessageAlreadyShouldBeReadAtItsTurn(@TempDir Path dir) throws Exception {
        SyncStore store = store(dir);
        Recording servers = new Recording();
        MemoryMailbox.Message filed = servers.legacy.messages("INBOX.Work").get(0);
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        servers.target.inject((op, folder) -> {
            if (op == MemoryMailbox.Op.STATUS && folder.equals("Work") && once.compareAndSet(false, true)) {
                servers.target.deliver("Work", filed.bytes(), filed.flags(), filed.internalDate());
            }
        });

        MailboxResult r = engine(store, servers).run(ACCOUNT);

        assertThat(r.complete()).as(r.toString()).isTrue();
        assertThat(servers.calls).contains("statuses [Work]", "snapshot Work");
        assertThat(r.folders().stream().mapToLong(FolderResult::adopted).sum()).isEqualTo(1);
        servers.assertTargetHoldsTheSourceOnce("the history copy", List.of("Drafts"));
    }

    /** A STATUS the new server refuses is no answer: the folder is read at its turn, and copied as any other. */
    @Test
    void aFolderJustCreatedWhoseStatusIsRefusedShouldBeReadAtItsTurn(@TempDir Path dir) throws Exception {
        SyncStore store = store(dir);
        Recording servers = new Recording();
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        servers.target.inject((op, folder) -> {
            if (op == MemoryMailbox.Op.STATUS && folder.equals("Work") && once.compareAndSet(false, true)) {
                throw new ImapException(
                        ImapException.Kind.REFUSED, "STATUS Work refused", "NO [SERVERBUG] try again", null);
            }
        });

        MailboxResult r = engine(store, servers).run(ACCOUNT);

        assertThat(r.complete()).as(r.toString()).isTrue();
        assertThat(servers.calls).contains("statuses [Work]", "snapshot Work");
        servers.assertTargetHoldsTheSourceOnce("the history copy", List.of("Drafts"));
    }
}
