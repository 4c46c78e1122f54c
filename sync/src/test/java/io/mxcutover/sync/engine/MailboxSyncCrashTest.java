package io.mxcutover.sync.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.FolderPair;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.imap.TargetStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.run.SyncSettings;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import io.mxcutover.sync.state.SyncStore;
import io.mxcutover.sync.testing.MemoryMailbox;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.testing.TestState;
import io.mxcutover.sync.throttle.ServerGates;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The engine's crash test as a unit test, over in-memory servers ({@link MemoryMailbox}) and the real state
 * store (SQLite): a clean pass counts how often each {@link FaultPoint} is reached, then for <em>every</em>
 * point and every n-th time it is reached (as mbsync's test does) a pass crashes there, and a new engine over
 * the same state runs again. After the rerun nothing is missing on the target, nothing is there twice, flags
 * and dates came along, the folder plan was replayed (no {@code Work-2}), a third pass copies nothing, and
 * the source is exactly as it was: no command of the sync ever changed it.
 *
 * <p>The same corpus as {@code SyncCrashIT} (which stays, against real Dovecots): 14 messages in INBOX and
 * INBOX.Work, two of them identical, batches of 4.
 */
class MailboxSyncCrashTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    private static final MailboxAccount ACCOUNT = SyncFixture.account("crash");
    private static final SyncSettings SETTINGS = SyncSettings.of(
                    ImapEndpoint.of("imap://legacy.test:143"), ImapEndpoint.of("imap://new.test:143"))
            .withImap(ImapSettings.defaults().withBatch(4, 1L << 20));

    @TempDir
    static Path templateDir;

    private static Path template;

    static final class Crash extends Error {
        Crash(String where) {
            super("injected crash at " + where);
        }
    }

    /** One migrated state file, copied for each case (Flyway once, not ~80 times). */
    @BeforeAll
    static void migrateOnce() throws Exception {
        template = templateDir.resolve("template.db");
        // Closed, so that SQLite checkpoints its WAL into the file that is copied (the pool holds it open).
        ((AutoCloseable) TestState.open(template)).close();
    }

    @TestFactory
    Stream<DynamicTest> rerunShouldLeaveNothingMissingNothingTwiceAndSourceUntouchedWhenCrashedAtEveryStep(
            @TempDir Path tmp) throws Exception {
        Map<FaultPoint, Integer> reached = new EnumMap<>(FaultPoint.class);
        Servers clean = new Servers();
        MailboxResult r = engine(state(tmp.resolve("clean")), clean, p -> reached.merge(p, 1, Integer::sum))
                .run(ACCOUNT);
        assertThat(r.complete()).as(r.toString()).isTrue();
        assertThat(reached.keySet())
                .as("every fault point is reached by a clean pass")
                .containsExactlyInAnyOrder(FaultPoint.values());

        return Arrays.stream(FaultPoint.values())
                .flatMap(point -> IntStream.rangeClosed(1, reached.get(point))
                        .mapToObj(nth -> DynamicTest.dynamicTest(
                                "crash at " + point + " #" + nth,
                                () -> crashThenRerun(point, nth, tmp.resolve(point + "-" + nth)))));
    }

    private void crashThenRerun(FaultPoint point, int nth, Path dir) throws Exception {
        DataSource state = state(dir);
        Servers servers = new Servers();
        Map<String, List<String>> legacyBefore = servers.legacy.contents();
        AtomicInteger hits = new AtomicInteger();

        Throwable crash = catchThrowable(() -> engine(state, servers, p -> {
                    if (p == point && hits.incrementAndGet() == nth) {
                        throw new Crash(p + " #" + nth);
                    }
                })
                .run(ACCOUNT));
        assertThat(crash).isInstanceOf(Crash.class);

        MailboxResult rerun = engine(state, servers, FaultInjector.NONE).run(ACCOUNT);
        assertThat(rerun.complete()).as(rerun.toString()).isTrue();
        servers.assertTargetHoldsTheSourceOnce(point + " #" + nth);
        assertThat(engine(state, servers, FaultInjector.NONE).run(ACCOUNT).copied())
                .isZero();
        servers.assertTargetHoldsTheSourceOnce(point + " #" + nth + ", third pass");
        assertThat(servers.legacy.contents())
                .as("legacy after crash at %s #%d", point, nth)
                .isEqualTo(legacyBefore);
        assertThat(servers.legacy.clientWrites()).isZero();
    }

    @Test
    void rerunShouldAdoptNotCopyAgainWhenTheAppendLandedButItsReplyWasLost(@TempDir Path tmp) throws Exception {
        DataSource state = state(tmp);
        Servers servers = new Servers();
        AtomicInteger appends = new AtomicInteger();
        servers.target.inject(new MemoryMailbox.Fault() {
            @Override
            public void before(MemoryMailbox.Op op, String folder) {}

            @Override
            public void after(MemoryMailbox.Op op, String folder) throws ImapException {
                if (op == MemoryMailbox.Op.APPEND && appends.incrementAndGet() == 2) {
                    throw new ImapException(
                            ImapException.Kind.CONNECTION, "connection reset after APPEND", "", null, "new.test:143");
                }
            }
        });

        MailboxResult lost = engine(state, servers, FaultInjector.NONE).run(ACCOUNT);
        assertThat(lost.complete()).isFalse();
        servers.target.inject(MemoryMailbox.Fault.NONE);
        MailboxResult rerun = engine(state, servers, FaultInjector.NONE).run(ACCOUNT);

        assertThat(rerun.complete()).as(rerun.toString()).isTrue();
        servers.assertTargetHoldsTheSourceOnce("reply of the second APPEND lost");
    }

    @Test
    void refusedBatchShouldBeRetriedOneByOneAfterTheBatchSentBehindIt(@TempDir Path tmp) throws Exception {
        DataSource state = state(tmp);
        Servers servers = new Servers();
        // The first MULTIAPPEND to INBOX is refused; the next batch is already sent when its answer is read.
        AtomicInteger appends = new AtomicInteger();
        List<Integer> refused = new java.util.ArrayList<>();
        servers.target.inject((op, folder) -> {
            if (op == MemoryMailbox.Op.APPEND && folder.equals("INBOX") && appends.incrementAndGet() == 1) {
                refused.add(appends.get());
                throw new ImapException(
                        ImapException.Kind.REFUSED, "refused", "NO [SERVERBUG] try again", null, "new.test:143");
            }
        });

        MailboxResult r = engine(state, servers, FaultInjector.NONE).run(ACCOUNT);

        assertThat(r.complete()).as(r.toString()).isTrue();
        assertThat(refused).containsExactly(1);
        // INBOX: 9 messages in batches of 4. APPENDs: batch 1 (refused), batch 2 (sent behind it), batch 1's four
        // one by one once its answer is read, batch 3.
        assertThat(appends.get()).isEqualTo(7);
        List<String> legacy = servers.legacy.messages("INBOX").stream()
                .map(m -> new String(m.bytes(), java.nio.charset.StandardCharsets.UTF_8))
                .toList();
        assertThat(servers.target.messages("INBOX"))
                .extracting(m -> new String(m.bytes(), java.nio.charset.StandardCharsets.UTF_8))
                .as("new holds batch 2, then batch 1's messages retried, then batch 3")
                .containsExactlyElementsOf(
                        java.util.stream.Stream.of(legacy.subList(4, 8), legacy.subList(0, 4), legacy.subList(8, 9))
                                .flatMap(List::stream)
                                .toList());
        servers.assertTargetHoldsTheSourceOnce("first batch refused");
        assertThat(new SyncStore(state, CLOCK).failures(ACCOUNT.address())).isEmpty();
    }

    /**
     * The next folder is read while the new server still appends the last batch of the one before: the last
     * APPEND to INBOX waits (up to 10 s) for the legacy to see a FETCH in INBOX.Work. Sequential folders would
     * only go there after that APPEND, so the wait would run out. Every body of Work is fetched once: the
     * bodies read ahead are not fetched again. An empty folder between the two (not opened on either server)
     * does not drop the read-ahead.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "an empty folder between them: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void nextFolderShouldBeReadWhileTheLastBatchOfTheFolderBeforeIsAppended(boolean emptyBetween, @TempDir Path tmp)
            throws Exception {
        DataSource state = state(tmp);
        Servers servers = new Servers(emptyBetween ? List.of("INBOX.Empty") : List.of());
        java.util.concurrent.CountDownLatch workRead = new java.util.concurrent.CountDownLatch(1);
        List<String> legacyOps = new java.util.concurrent.CopyOnWriteArrayList<>();
        servers.legacy.inject((op, folder) -> {
            legacyOps.add(op + " " + folder);
            if (op == MemoryMailbox.Op.FETCH && folder.equals("INBOX.Work")) {
                workRead.countDown();
            }
        });
        AtomicInteger inboxAppends = new AtomicInteger();
        boolean[] readBeforeLastAppend = {false};
        servers.target.inject((op, folder) -> {
            // INBOX: 9 messages in batches of 4, so the third APPEND is its last.
            if (op == MemoryMailbox.Op.APPEND && folder.equals("INBOX") && inboxAppends.incrementAndGet() == 3) {
                try {
                    readBeforeLastAppend[0] = workRead.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        MailboxResult r = engine(state, servers, FaultInjector.NONE).run(ACCOUNT);

        assertThat(r.complete()).as(r.toString()).isTrue();
        assertThat(readBeforeLastAppend[0])
                .as("legacy saw INBOX.Work read before INBOX's last APPEND: %s", legacyOps)
                .isTrue();
        // Work: 5 messages, batches of 4: the snapshot's metadata FETCH, then bodies 1-4 (read ahead) and 5.
        assertThat(legacyOps).filteredOn(o -> o.equals("FETCH INBOX.Work")).hasSize(3);
        assertThat(legacyOps).noneMatch(o -> o.endsWith(" INBOX.Empty") && !o.startsWith("STATUS"));
        servers.assertTargetHoldsTheSourceOnce("Work read ahead", emptyBetween ? List.of("Empty") : List.of());
        assertThat(servers.legacy.clientWrites()).isZero();
    }

    /**
     * Empty legacy folders whose target folders exist change nothing on the new server: their checkpoints' STATUS
     * is read for all of them before the copy starts (one round trip on IMAP), not each after the folder before it
     * (behind its APPENDs on a busy link). The pass completes and the next one finds every folder checkpointed.
     */
    @Test
    void theTargetStatusOfEmptyFoldersShouldBeReadOnceBeforeTheCopy(@TempDir Path tmp) throws Exception {
        DataSource state = state(tmp);
        Servers servers = new Servers(List.of("INBOX.Empty", "INBOX.Junk"));
        servers.target.deliverFolder("Empty");
        servers.target.deliverFolder("Junk");
        List<String> targetOps = new java.util.concurrent.CopyOnWriteArrayList<>();
        servers.target.inject((op, folder) -> targetOps.add(op + " " + folder));

        MailboxResult r = engine(state, servers, FaultInjector.NONE).run(ACCOUNT);

        assertThat(r.complete()).as(r.toString()).isTrue();
        int firstAppend = targetOps.indexOf("APPEND INBOX");
        assertThat(firstAppend).as("target ops %s", targetOps).isPositive();
        assertThat(targetOps.subList(0, firstAppend)).contains("STATUS Empty", "STATUS Junk");
        assertThat(targetOps)
                .filteredOn(o -> o.equals("STATUS Empty") || o.equals("STATUS Junk"))
                .hasSize(2);
        assertThat(targetOps).noneMatch(o -> o.equals("CREATE Empty") || o.equals("SELECT Junk"));
        servers.assertTargetHoldsTheSourceOnce("empty folders read up front", List.of("Empty", "Junk"));
        assertThat(engine(state, servers, FaultInjector.NONE).run(ACCOUNT).copied())
                .as("the next pass finds each folder checkpointed")
                .isZero();
    }

    @Test
    void onlyEmptySourceFoldersWithAnExistingTargetShouldBeReadUpFront() {
        FolderPair inbox = pair("INBOX", "INBOX");
        FolderPair empty = pair("INBOX.Empty", "Empty");
        FolderPair missing = pair("INBOX.New", "New");
        FolderPair merged = pair("INBOX.Old", "Empty"); // renamed onto the same target folder
        Map<String, FolderPair> pairs =
                Map.of("INBOX", inbox, "INBOX.Empty", empty, "INBOX.New", missing, "INBOX.Old", merged);
        List<Map.Entry<FolderInfo, SideStatus>> folders = List.of(
                Map.entry(folder("INBOX"), new SideStatus(1, 10, 9, 0)),
                Map.entry(folder("INBOX.Empty"), new SideStatus(1, 1, 0, 0)),
                Map.entry(folder("INBOX.New"), new SideStatus(1, 1, 0, 0)),
                Map.entry(folder("INBOX.Old"), new SideStatus(1, 5, 0, 0)),
                Map.entry(folder("INBOX.Unplanned"), new SideStatus(1, 1, 0, 0)));
        assertThat(MailboxSync.emptyExistingTargets(folders, pairs, Set.of("INBOX", "Empty")))
                .as("INBOX has mail, New is created by the copy, Unplanned has no pair, Empty once")
                .containsExactly("Empty");
    }

    private static FolderPair pair(String source, String target) {
        return new FolderPair(source, target, java.util.Optional.empty(), false, true);
    }

    private static FolderInfo folder(String name) {
        return new FolderInfo(name, '.', Set.of(), true);
    }

    /**
     * The read-ahead of Work fails (the legacy refuses its body FETCH): Work is not synced this pass, with the
     * server's reason; INBOX is; the next pass copies Work, each message once.
     */
    @Test
    void aReadAheadThatFailsShouldFailOnlyThatFolderAndTheNextPassCopiesIt(@TempDir Path tmp) throws Exception {
        DataSource state = state(tmp);
        Servers servers = new Servers();
        AtomicInteger workFetches = new AtomicInteger();
        servers.legacy.inject((op, folder) -> {
            // The first FETCH in Work is the snapshot's metadata, the second the bodies read ahead.
            if (op == MemoryMailbox.Op.FETCH && folder.equals("INBOX.Work") && workFetches.incrementAndGet() == 2) {
                throw new ImapException(
                        ImapException.Kind.REFUSED,
                        "the legacy server refused to FETCH in 'INBOX.Work'",
                        "NO [SERVERBUG] Internal error occurred",
                        null,
                        "legacy.test:143");
            }
        });

        MailboxResult r = engine(state, servers, FaultInjector.NONE).run(ACCOUNT);

        assertThat(r.complete()).isFalse();
        assertThat(r.folders())
                .filteredOn(f -> f.sourceFolder().equals("INBOX.Work"))
                .singleElement()
                .satisfies(f -> assertThat(f.error()).contains("INBOX.Work"));
        assertThat(servers.target.messages("INBOX")).hasSameSizeAs(servers.legacy.messages("INBOX"));
        assertThat(servers.target.messages("Work")).isEmpty();

        servers.legacy.inject(MemoryMailbox.Fault.NONE);
        MailboxResult rerun = engine(state, servers, FaultInjector.NONE).run(ACCOUNT);

        assertThat(rerun.complete()).as(rerun.toString()).isTrue();
        servers.assertTargetHoldsTheSourceOnce("read-ahead of Work refused");
    }

    /**
     * Each FETCH batch goes to the new server as it is, once its bodies are in: with a byte limit far above the
     * batches the legacy answers (4 messages each here), INBOX's 9 messages take 3 APPENDs (4, 4, 1), not one
     * that waited for every FETCH (or for the next FETCH's answer to fill the byte count).
     */
    @Test
    void eachFetchBatchShouldBeAppendedAsSoonAsItsBodiesAreIn(@TempDir Path tmp) throws Exception {
        DataSource state = state(tmp);
        Servers servers = new Servers();
        List<Integer> appended = new java.util.concurrent.CopyOnWriteArrayList<>();
        int[] before = {0};
        servers.target.inject(new MemoryMailbox.Fault() {
            @Override
            public void before(MemoryMailbox.Op op, String folder) {
                if (op == MemoryMailbox.Op.APPEND && folder.equals("INBOX")) {
                    before[0] = servers.target.messages("INBOX").size();
                }
            }

            @Override
            public void after(MemoryMailbox.Op op, String folder) {
                if (op == MemoryMailbox.Op.APPEND && folder.equals("INBOX")) {
                    appended.add(servers.target.messages("INBOX").size() - before[0]);
                }
            }
        });
        SyncSettings bigBatches = SETTINGS.withImap(SETTINGS.imap().withBatch(100, 64L << 20));

        MailboxResult r = engine(state, servers, FaultInjector.NONE, bigBatches).run(ACCOUNT);

        assertThat(r.complete()).as(r.toString()).isTrue();
        assertThat(appended).as("messages per APPEND to INBOX").containsExactly(4, 4, 1);
        servers.assertTargetHoldsTheSourceOnce("batches as fetched");
    }

    @Test
    void passShouldCopyTheRestAndRecordEachRefusalWhenTheTargetRefusesAppendsToOneFolder(@TempDir Path tmp)
            throws Exception {
        DataSource state = state(tmp);
        Servers servers = new Servers();
        // The target refuses every APPEND to Work: the whole folder stays behind, INBOX is copied.
        servers.target.inject((op, folder) -> {
            if (op == MemoryMailbox.Op.APPEND && folder.equals("Work")) {
                throw new ImapException(
                        ImapException.Kind.REFUSED, "refused", "NO [OVERQUOTA] Quota exceeded", null, "new.test:143");
            }
        });

        MailboxResult r = engine(state, servers, FaultInjector.NONE).run(ACCOUNT);

        assertThat(r.complete()).isFalse();
        assertThat(servers.target.messages("INBOX")).hasSameSizeAs(servers.legacy.messages("INBOX"));
        assertThat(servers.target.messages("Work")).isEmpty();
        assertThat(new SyncStore(state, CLOCK).failures(ACCOUNT.address()))
                .hasSize(servers.legacy.messages("INBOX.Work").size())
                .allSatisfy(f -> assertThat(f.reason()).contains("NO [OVERQUOTA] Quota exceeded"));
        assertThat(servers.legacy.clientWrites()).isZero();
    }

    /**
     * A fresh state file: a copy of the migrated template, opened as {@link TestState} does but without fsync and
     * over one connection that the store's {@code close()} leaves open. The crash here is the JVM's, not the
     * machine's: what was committed is in the file either way. With an fsync and a new connection per statement
     * each case took half a second on a loaded disk; like this, tens of milliseconds.
     */
    private static DataSource state(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path db = dir.resolve("sync.db");
        Files.copy(template, db);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        config.setBusyTimeout(10_000);
        SQLiteDataSource file = new SQLiteDataSource(config);
        file.setUrl("jdbc:sqlite:" + db.toAbsolutePath());
        Connection shared = file.getConnection();
        Connection kept = (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(shared, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return kept;
                    }
                    try {
                        return method.invoke(file, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A new engine over {@code state}, as after a restart: nothing carried over but the state and the servers. */
    private static MailboxSync engine(DataSource state, Servers servers, FaultInjector faults) {
        return engine(state, servers, faults, SETTINGS);
    }

    private static MailboxSync engine(DataSource state, Servers servers, FaultInjector faults, SyncSettings settings) {
        return new MailboxSync(
                new SyncStore(state, CLOCK),
                settings,
                CLOCK,
                faults,
                false,
                f -> true,
                new ServerGates(CLOCK, settings.throttling()),
                servers);
    }

    /** The legacy mailbox (seeded) and the new one (empty), as a Dovecot pair lays them out. */
    static class Servers implements MailboxSessions {
        final MemoryMailbox legacy = new MemoryMailbox("legacy.test:143", new Namespace("INBOX.", '.'), 1000, 4);
        final MemoryMailbox target = new MemoryMailbox("new.test:143", new Namespace("", '.'), 5000, 4);

        Servers() {
            this(List.of());
        }

        /** With the empty legacy folders {@code listedBeforeWork} listed between INBOX and INBOX.Work. */
        Servers(List<String> listedBeforeWork) {
            listedBeforeWork.forEach(legacy::deliverFolder);
            legacy.deliverFolder("INBOX.Work");
            for (int i = 0; i < 14; i++) {
                String folder = i % 3 == 0 ? "INBOX.Work" : "INBOX";
                // Two identical messages (same bytes, same date): identity matching is a multiset.
                int n = i == 13 ? 12 : i;
                byte[] m = SyncFixture.message(
                        "From: a@example.test\nSubject: crash " + n + "\nMessage-ID: <c" + n + "@x>",
                        "body " + n + "\n");
                legacy.deliver(folder, m, i % 2 == 0 ? Set.of("\\Seen") : Set.of(), 1_577_836_800L + n % 10);
            }
        }

        @Override
        public SourceStore openSource(MailboxAccount account) throws ImapException {
            return legacy.openSource();
        }

        @Override
        public TargetStore openTarget(MailboxAccount account) throws ImapException {
            return target.openTarget();
        }

        void assertTargetHoldsTheSourceOnce(String after) {
            assertTargetHoldsTheSourceOnce(after, List.of());
        }

        /** As above, where new also holds the (empty) folders {@code alsoEmpty}. */
        void assertTargetHoldsTheSourceOnce(String after, List<String> alsoEmpty) {
            List<String> folders = new ArrayList<>(List.of("INBOX", "Work"));
            folders.addAll(alsoEmpty);
            assertThat(target.folderNames())
                    .as("folders on new after %s", after)
                    .containsExactlyInAnyOrderElementsOf(folders);
            alsoEmpty.forEach(
                    f -> assertThat(target.messages(f)).as("'%s' on new", f).isEmpty());
            for (String[] pair : new String[][] {{"INBOX", "INBOX"}, {"INBOX.Work", "Work"}}) {
                List<String> expected = new ArrayList<>();
                legacy.messages(pair[0]).forEach(m -> expected.add(m.content()));
                List<String> actual = new ArrayList<>();
                target.messages(pair[1]).forEach(m -> actual.add(m.content()));
                assertThat(actual)
                        .as("'%s' on new after %s", pair[1], after)
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }
}
