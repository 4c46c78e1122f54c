package io.mxcutover.sync.engine;

import io.mxcutover.sync.backup.MaildirBackup;
import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.FolderMove;
import io.mxcutover.sync.folder.FolderPair;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.RawMessage;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.imap.TargetStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.plan.FolderState;
import io.mxcutover.sync.plan.MessageMeta;
import io.mxcutover.sync.plan.Step;
import io.mxcutover.sync.plan.SyncPlan;
import io.mxcutover.sync.run.Backoff;
import io.mxcutover.sync.run.SyncFailurePolicy;
import io.mxcutover.sync.run.SyncSettings;
import io.mxcutover.sync.state.Failure;
import io.mxcutover.sync.state.FolderCheckpoint;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import io.mxcutover.sync.state.LeaseLostException;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.state.SyncStore;
import io.mxcutover.sync.throttle.ServerGates;
import java.time.Clock;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One pass over one mailbox: list, map, and for each folder that changed since its checkpoint
 * plan and carry out the plan. The target is only logged into when some folder needs work,
 * so a pass with nothing new costs a login, a LIST and the STATUS of every folder on the source (pipelined:
 * one round trip for all of them).
 *
 * <p>Per folder, in this order (STYLE §4): create the target folder; snapshot both sides; plan;
 * record rebinds/adoptions; apply flag changes; copy in batches (journal INTENT, APPEND, record
 * DONE); write the checkpoint last. A failure is scoped by {@link SyncFailurePolicy}: a refused
 * message is recorded and the folder goes on; a folder error ends that folder; a login or
 * connection error ends the mailbox.
 */
public final class MailboxSync {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxSync.class);

    private final SyncStore store;
    private final SyncSettings settings;
    private final Clock clock;
    private final FaultInjector faults;
    private final boolean dryRun;
    private final Predicate<String> folderFilter;
    private final ServerGates gates;
    private final MailboxSessions sessions;
    private List<FolderMove> dryRunMoves = List.of();

    public MailboxSync(SyncStore store, SyncSettings settings, Clock clock, FaultInjector faults, boolean dryRun) {
        this(store, settings, clock, faults, dryRun, f -> true, new ServerGates(clock, settings.throttling()));
    }

    /**
     * {@code folderFilter} limits the pass to some source folders (IDLE wakes only INBOX); {@code gates} are
     * the servers' throttling gates shared by every mailbox.
     */
    public MailboxSync(
            SyncStore store,
            SyncSettings settings,
            Clock clock,
            FaultInjector faults,
            boolean dryRun,
            Predicate<String> folderFilter,
            ServerGates gates) {
        this(store, settings, clock, faults, dryRun, folderFilter, gates, MailboxSessions.imap(settings));
    }

    /** {@code sessions}: how the source and target sessions are opened (IMAP, or a test's in-memory servers). */
    public MailboxSync(
            SyncStore store,
            SyncSettings settings,
            Clock clock,
            FaultInjector faults,
            boolean dryRun,
            Predicate<String> folderFilter,
            ServerGates gates,
            MailboxSessions sessions) {
        this.gates = gates;
        this.sessions = sessions;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.faults = faults;
        this.dryRun = dryRun;
        this.folderFilter = folderFilter;
    }

    /**
     * One pass over the mailbox. Its log lines carry the MDC keys {@code mailbox} and {@code domain} (and
     * {@code folder} while a folder is copied): the appliance's JSON log layout shows them as fields.
     */
    public MailboxResult run(MailboxAccount account) {
        String address = account.address();
        int at = address.lastIndexOf('@');
        try (MDC.MDCCloseable m = MDC.putCloseable("mailbox", address);
                MDC.MDCCloseable d = MDC.putCloseable(
                        "domain", at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT))) {
            return runPass(account);
        } catch (LeaseLostException e) {
            // Another node holds the mailbox now and resumes from the journal; this pass writes nothing more.
            LOG.warn("mailbox {}: pass stopped, this node lost its lease: {}", address, e.getMessage());
            return new MailboxResult(
                    address, MailboxStatus.Phase.INCOMPLETE, "lease lost: " + e.getMessage(), List.of());
        }
    }

    private MailboxResult runPass(MailboxAccount account) {
        String address = account.address();
        // A mailbox whose last pass did not end SYNCED (its history copy, a retry) will write to the new server:
        // log in there and list it while the legacy is listed, not after (across a WAN ~5 round trips a mailbox).
        // A SYNCED one (continuous mode) opens the new server only when a folder changed, as before. Either way
        // the legacy session is open first: under the cluster's connection caps (SlottedSessions) every pass
        // takes its slots in that order, so passes never wait on each other in a cycle (ClusterEndToEndIT hung
        // when the early open went first).
        boolean openTargetEarly = !dryRun
                && store.mailbox(address)
                        .map(m -> m.phase() != MailboxStatus.Phase.SYNCED)
                        .orElse(true);
        if (!dryRun) {
            store.mailboxStarted(address);
        }
        List<FolderResult> results = new ArrayList<>();
        try (SourceStore source = sessions.openSource(account);
                LazyTarget target = new LazyTarget(account, openTargetEarly)) {
            Namespace sourceNs = source.namespace();
            List<FolderInfo> sourceFolders = source.folders();
            if (!dryRun && settings.backupDir().isPresent()) {
                Optional<String> failed = backUpOnce(address, source, sourceNs, sourceFolders);
                if (failed.isPresent()) {
                    return finish(address, MailboxStatus.Phase.FAILED, failed.get(), results);
                }
            }
            Map<FolderInfo, SideStatus> todo = new LinkedHashMap<>();
            Map<String, Long> inventory = new LinkedHashMap<>();
            List<FolderInfo> wanted = sourceFolders.stream()
                    .filter(folder -> folder.selectable()
                            && folderFilter.test(folder.name())
                            && settings.folderRulesFor(address).accepts(folder.name(), sourceNs))
                    .toList();
            // One round trip for every folder's STATUS (pipelined), not one each: across a WAN that is most of
            // what a pass with nothing new costs.
            Map<String, Optional<SideStatus>> statuses =
                    source.statuses(wanted.stream().map(FolderInfo::name).toList());
            for (FolderInfo folder : wanted) {
                Optional<SideStatus> status = statuses.getOrDefault(folder.name(), Optional.empty());
                if (status.isEmpty()) {
                    // Listed, but STATUS was refused: deleted since the LIST, or a server error. Either way
                    // nothing is known about it, so the pass is not complete (it was skipped silently before).
                    String why = "the legacy server listed this folder but refused STATUS on it (deleted meanwhile,"
                            + " or a server error); it is tried again on the next pass";
                    LOG.warn("mailbox {}: folder '{}' not synced this pass: {}", address, folder.name(), why);
                    results.add(new FolderResult(folder.name(), "", false, 0, 0, 0, 0, 0, 0, 0, why));
                    continue;
                }
                inventory.put(folder.name(), status.get().messages());
                Optional<FolderCheckpoint> cp = store.checkpoint(address, folder.name());
                if (!dryRun
                        && cp.isPresent()
                        && cp.get().complete()
                        && cp.get().source().equals(status.get())) {
                    results.add(new FolderResult(
                            folder.name(),
                            cp.get().targetFolder(),
                            true,
                            status.get().messages(),
                            0,
                            0,
                            0,
                            0,
                            0,
                            0,
                            null));
                } else {
                    todo.put(folder, status.get());
                }
            }
            if (!dryRun) {
                // The source inventory for the ETA: what each folder holds, before anything is copied.
                store.recordListed(
                        address,
                        inventory,
                        sourceFolders.stream().map(FolderInfo::name).collect(java.util.stream.Collectors.toSet()));
            }
            if (!todo.isEmpty()) {
                TargetStore t = target.get();
                List<FolderInfo> targetFolders = target.folders();
                Map<String, String> checkpointTargets = new HashMap<>();
                for (FolderInfo f : sourceFolders) {
                    store.checkpoint(address, f.name())
                            .ifPresent(cp -> checkpointTargets.put(f.name(), cp.targetFolder()));
                }
                FolderPlanner.Planned planned = FolderPlanner.plan(
                        sourceFolders,
                        sourceNs,
                        targetFolders,
                        target.namespace(),
                        settings.folderRulesFor(address),
                        store.plannedFolders(address),
                        checkpointTargets);
                dryRunMoves = planned.moves();
                if (!dryRun) {
                    // The plan is journaled before any CREATE (STYLE §4): a crash from here on cannot change it.
                    store.planFolders(address, planned.newLines());
                    faults.reached(FaultPoint.FOLDER_PLANNED);
                }
                Map<String, FolderPair> pairs = new HashMap<>();
                planned.pairs().forEach(p -> pairs.put(p.source(), p));
                Set<String> existing = new java.util.HashSet<>();
                targetFolders.forEach(f -> existing.add(f.name()));
                List<Map.Entry<FolderInfo, SideStatus>> folders = new ArrayList<>(todo.entrySet());
                Map<String, FolderSnapshot> createdEmpty =
                        dryRun ? Map.of() : createAhead(address, t, folders, pairs, existing);
                // An empty folder changes nothing on the new server: when there are two or more, the STATUS their
                // checkpoints need is asked for all of them in one round trip here, not one per folder after the
                // folder before it (on a busy link each waited behind the APPENDs in flight: 1.2 s of a capped
                // copy's tail, wan.sh's trace). The checkpoint's target side is recorded, never a reason to skip.
                List<String> emptyTargets = emptyExistingTargets(folders, pairs, existing);
                Map<String, Optional<SideStatus>> emptyStatus =
                        dryRun || emptyTargets.size() < 2 ? Map.of() : t.statuses(emptyTargets);
                SourceLookahead ahead = null; // the folder read ahead while the one before it was appended
                List<PendingCheckpoint> checkpoints = new ArrayList<>();
                try {
                    for (int i = 0; i < folders.size(); i++) {
                        Map.Entry<FolderInfo, SideStatus> e = folders.get(i);
                        FolderPair pair = pairs.get(e.getKey().name());
                        if (pair == null) {
                            continue;
                        }
                        SourceLookahead mine = null;
                        if (ahead != null && ahead.folder().equals(pair.source())) {
                            mine = ahead;
                            ahead = null;
                        } else if (ahead != null && e.getValue().messages() > 0) {
                            // Not reached by construction (the lookahead is of the next folder that reads the
                            // legacy), but two readers must never share the session.
                            ahead.discard();
                            ahead = null;
                        }
                        SourceLookahead.Next next =
                                dryRun || ahead != null ? null : nextToReadAhead(address, source, folders, i, pairs);
                        try {
                            results.add(syncFolder(
                                    address,
                                    source,
                                    t,
                                    pair,
                                    pair.target(),
                                    existing.contains(pair.target()),
                                    e.getValue(),
                                    emptyStatus.getOrDefault(pair.target(), Optional.empty()),
                                    createdEmpty.get(pair.target()),
                                    mine,
                                    next,
                                    checkpoints));
                        } finally {
                            SourceLookahead started = next == null ? null : next.seal();
                            if (started != null) {
                                ahead = started;
                            }
                        }
                    }
                } catch (FolderAbort e) {
                    saveCheckpointsQuietly(address, t, checkpoints);
                    throw e;
                } finally {
                    if (ahead != null) {
                        ahead.discard(); // the legacy session is free before the pass goes on or ends
                    }
                }
                saveCheckpoints(address, t, checkpoints);
            }
        } catch (ImapException e) {
            return mailboxFailed(address, e, results);
        } catch (FolderAbort e) {
            return mailboxFailed(address, e.cause, results);
        } catch (LeaseLostException e) {
            throw e; // nothing more is written for this mailbox: see run()
        } catch (RuntimeException e) {
            LOG.error("mailbox {}: sync pass failed unexpectedly; it will be retried", address, e);
            return finish(address, MailboxStatus.Phase.INCOMPLETE, "internal error: " + e.getMessage(), results);
        }
        gates.passed(ServerGates.key(settings.source()));
        gates.passed(ServerGates.key(settings.target()));
        boolean complete = results.stream().allMatch(FolderResult::complete);
        String reason = complete ? null : summarize(results);
        return finish(address, complete ? MailboxStatus.Phase.SYNCED : MailboxStatus.Phase.INCOMPLETE, reason, results);
    }

    /**
     * A folder's checkpoint, but for the target's STATUS after its copy. That STATUS is recorded, never a reason to
     * skip (a folder is skipped by its source STATUS): asked for every folder of the pass in one round trip after
     * the last one ({@link #saveCheckpoints}) rather than one per folder between a folder's last APPEND and the next
     * folder's first (across a WAN an RTT per folder: 2 s of a 43-folder mailbox's copy at RTT 50 ms). A pass that
     * ends before it saves them (a crash) leaves those folders without a new checkpoint: the next pass plans them
     * again against both sides, and the journal keeps any copy from being made twice.
     */
    record PendingCheckpoint(
            String sourceFolder, String targetFolder, SideStatus source, long targetUidValidity, boolean complete) {
        FolderCheckpoint with(Optional<SideStatus> target) {
            return new FolderCheckpoint(
                    sourceFolder,
                    targetFolder,
                    source,
                    target.orElse(new SideStatus(targetUidValidity, 0, 0, 0)),
                    complete);
        }
    }

    private void saveCheckpoints(String address, TargetStore target, List<PendingCheckpoint> checkpoints)
            throws ImapException {
        if (checkpoints.isEmpty()) {
            return;
        }
        List<String> folders = checkpoints.stream()
                .map(PendingCheckpoint::targetFolder)
                .distinct()
                .toList();
        Map<String, Optional<SideStatus>> status = target.statuses(folders);
        for (PendingCheckpoint c : checkpoints) {
            store.saveCheckpoint(address, c.with(status.getOrDefault(c.targetFolder(), Optional.empty())));
        }
        checkpoints.clear();
    }

    /** On a pass that failed: the folders it finished keep their checkpoints when the new server still answers. */
    private void saveCheckpointsQuietly(String address, TargetStore target, List<PendingCheckpoint> checkpoints) {
        try {
            saveCheckpoints(address, target, checkpoints);
        } catch (ImapException | RuntimeException e) {
            LOG.debug(
                    "mailbox {}: checkpoints of {} folder(s) not saved after the failure ({}); the next pass plans"
                            + " them again",
                    address,
                    checkpoints.size(),
                    e.getMessage());
        }
    }

    /**
     * Creates the target folders this pass will copy into that the target's listing lacks, all in one round trip
     * ({@link TargetStore#createFolders}), before the first folder is copied: otherwise each costs its CREATE and
     * SUBSCRIBE between the folder before it and its first APPEND, with both links idle (wan.sh with 43 folders per
     * mailbox: 10.7 s -> 7.4 s at RTT 25 ms, 16.5 s -> 10.4 s at RTT 50 ms). Each folder created is journaled as
     * {@link #copyFolder} would; one that was not (it exists already, a name the server refuses) is created at its
     * turn as before, which reports why. Returns the snapshots of those created that are known to be empty
     * ({@link #createdEmpty}).
     */
    private Map<String, FolderSnapshot> createAhead(
            String address,
            TargetStore target,
            List<Map.Entry<FolderInfo, SideStatus>> folders,
            Map<String, FolderPair> pairs,
            Set<String> existing)
            throws ImapException {
        List<String> missing = new ArrayList<>();
        Set<String> subscribe = new java.util.HashSet<>();
        for (Map.Entry<FolderInfo, SideStatus> e : folders) {
            FolderPair pair = pairs.get(e.getKey().name());
            if (pair == null || existing.contains(pair.target()) || missing.contains(pair.target())) {
                continue;
            }
            missing.add(pair.target());
            if (pair.subscribed()) {
                subscribe.add(pair.target());
            }
        }
        if (missing.isEmpty()) {
            return Map.of();
        }
        store.beforeTargetWrite(address);
        List<String> created = target.createFolders(missing, subscribe);
        for (String folder : created) {
            faults.reached(FaultPoint.FOLDER_CREATED);
            existing.add(folder);
        }
        for (Map.Entry<FolderInfo, SideStatus> e : folders) {
            FolderPair pair = pairs.get(e.getKey().name());
            if (pair != null && created.contains(pair.target())) {
                store.folderCreated(address, pair.source());
            }
        }
        return createdEmpty(target, createdToFill(folders, pairs, created));
    }

    /**
     * The folders just created that will be filled (their source has messages), in order, each once: their
     * snapshot is taken from one STATUS of all of them rather than read folder by folder.
     */
    static List<String> createdToFill(
            List<Map.Entry<FolderInfo, SideStatus>> folders, Map<String, FolderPair> pairs, List<String> created) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (Map.Entry<FolderInfo, SideStatus> e : folders) {
            FolderPair pair = pairs.get(e.getKey().name());
            if (pair != null && e.getValue().messages() > 0 && created.contains(pair.target())) {
                out.add(pair.target());
            }
        }
        return List.copyOf(out);
    }

    /**
     * The snapshots of folders this pass just created, from one STATUS of all of them: a folder whose STATUS says
     * it holds no message is taken as empty with that UIDVALIDITY and UIDNEXT, so its turn reads nothing from the
     * new server before its first APPEND: no SELECT and no FETCH, each a round trip across a WAN (wan.sh with 43
     * folders per mailbox: 750 round trips waited for -> 633). Two source folders never map to one target folder
     * (FolderMapping), so no other folder fills it before its turn. Only that positive fact counts: a folder
     * without an answer, or that holds messages already (a user filed one there), is read at its turn as any other.
     * A refused STATUS is no answer; a broken connection fails the pass as any other command would.
     */
    private Map<String, FolderSnapshot> createdEmpty(TargetStore target, List<String> toFill) throws ImapException {
        if (toFill.isEmpty()) {
            return Map.of();
        }
        Map<String, Optional<SideStatus>> status;
        try {
            status = target.statuses(toFill);
        } catch (ImapException e) {
            if (e.kind() == ImapException.Kind.CONNECTION || e.kind() == ImapException.Kind.THROTTLED) {
                throw e;
            }
            LOG.debug("STATUS of the folders just created: {}; each is read at its turn", e.getMessage());
            return Map.of();
        }
        Map<String, FolderSnapshot> out = new HashMap<>();
        status.forEach((folder, st) -> st.filter(s -> s.messages() == 0)
                .ifPresent(s -> out.put(
                        folder,
                        new FolderSnapshot(folder, s.uidValidity(), s.uidNext(), s.highestModSeq(), List.of()))));
        return out;
    }

    /**
     * The target folders of the source folders that are empty (by their STATUS) and already exist on the target,
     * in order, each once: their checkpoints' target STATUS is read for all of them at once.
     */
    static List<String> emptyExistingTargets(
            List<Map.Entry<FolderInfo, SideStatus>> folders, Map<String, FolderPair> pairs, Set<String> existing) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (Map.Entry<FolderInfo, SideStatus> e : folders) {
            FolderPair pair = pairs.get(e.getKey().name());
            if (pair != null && e.getValue().messages() == 0 && existing.contains(pair.target())) {
                out.add(pair.target());
            }
        }
        return List.copyOf(out);
    }

    /**
     * The folder after the {@code i}th that will read the legacy server (it has a target and messages), as a
     * lookahead the {@code i}th folder's fetcher starts; null when there is none.
     */
    private SourceLookahead.Next nextToReadAhead(
            String address,
            SourceStore source,
            List<Map.Entry<FolderInfo, SideStatus>> folders,
            int i,
            Map<String, FolderPair> pairs) {
        for (int j = i + 1; j < folders.size(); j++) {
            String name = folders.get(j).getKey().name();
            if (pairs.get(name) == null || folders.get(j).getValue().messages() == 0) {
                continue; // not copied, or not opened (see copyFolder): neither touches the legacy session
            }
            return new SourceLookahead.Next(name, () -> readAhead(address, source, name));
        }
        return null;
    }

    /**
     * Reads a folder's snapshot and the bodies of its first batch of likely copies: the plan against an empty
     * target (what the journal says is not copied yet, minus failures not due), cut like the fetcher's first
     * batch. The folder's own plan, made later against the target, decides what is copied; bodies it does not
     * start with are dropped unused (a message adopted on the target, say).
     */
    private SourceLookahead.Ahead readAhead(String address, SourceStore source, String sourceFolder)
            throws ImapException {
        FolderSnapshot listed = source.snapshot(sourceFolder);
        FolderSnapshot src = selected(listed);
        SyncPlan.FolderPlan likely =
                SyncPlan.plan(src, FolderSnapshot.empty(sourceFolder), store.folderState(address, sourceFolder));
        Due due = due(likely, failuresOf(address, sourceFolder, src.uidValidity()), clock.instant());
        List<MessageMeta> first = BatchCopier.firstBatch(
                due.copies(),
                settings.imap().batchMessages(),
                settings.imap().batchBytes(),
                settings.imap().largeMessageBytes());
        List<RawMessage> bodies = new ArrayList<>();
        if (!first.isEmpty()) {
            try {
                source.fetchBodies(first, new SourceStore.BodySink() {
                    @Override
                    public void beforeFetch() throws ImapException {
                        BatchCopier.awaitGate(gates, ServerGates.key(settings.source()));
                    }

                    @Override
                    public void accept(RawMessage raw) {
                        bodies.add(raw);
                    }
                });
            } catch (ImapException | RuntimeException e) {
                bodies.forEach(RawMessage::close);
                throw e;
            }
        }
        return new SourceLookahead.Ahead(listed, bodies);
    }

    /**
     * A copy that starts with nothing read ahead (a pass's first folder, or one after a folder with nothing to
     * copy) asks for {@code batchBytes / 32} in its first FETCH (256 KiB of the default 8 MiB), each next one for
     * twice as much: the new server gets its first APPEND after that small FETCH, not after a full batch (with
     * four mailboxes sharing a 100 Mbit/s link, a full first batch each kept the new server's link idle for
     * 1.5-3.5 s). A copy that starts with a batch read ahead has its first APPEND ready at once: no ramp.
     */
    private long firstBatchBytes(List<MessageMeta> copies, List<RawMessage> readAhead) {
        if (BatchCopier.matchingPrefix(copies, readAhead) > 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(1, settings.imap().batchBytes() / 32);
    }

    /** The copies a plan asks for that are due now, and how many wait (a failure not due, or out of attempts). */
    record Due(List<MessageMeta> copies, long deferred) {}

    private Due due(SyncPlan.FolderPlan plan, Map<Long, Failure> failures, Instant now) {
        List<MessageMeta> copies = new ArrayList<>();
        long deferred = 0;
        for (Step.Copy c : plan.stepsOf(Step.Copy.class)) {
            Failure f = failures.get(c.source().uid());
            if (f != null && (f.nextAttemptAt().isAfter(now) || f.attempts() >= settings.maxMessageAttempts())) {
                deferred++;
            } else {
                copies.add(c.source());
            }
        }
        return new Due(copies, deferred);
    }

    /** The message failures recorded for a folder under its current UIDVALIDITY, by source UID. */
    private Map<Long, Failure> failuresOf(String address, String sourceFolder, long uidValidity) {
        Map<Long, Failure> failures = new HashMap<>();
        store.failures(address).stream()
                .filter(f -> f.sourceFolder().equals(sourceFolder)
                        && f.sourceUidValidity() == uidValidity
                        && f.sourceUid() > 0)
                .forEach(f -> failures.put(f.sourceUid(), f));
        return failures;
    }

    private FolderResult syncFolder(
            String address,
            SourceStore source,
            TargetStore target,
            FolderPair pair,
            String targetFolder,
            boolean targetExists,
            SideStatus sourceStatus,
            Optional<SideStatus> emptyTargetStatus,
            FolderSnapshot createdEmpty,
            SourceLookahead ahead,
            SourceLookahead.Next next,
            List<PendingCheckpoint> checkpoints) {
        try (MDC.MDCCloseable f = MDC.putCloseable("folder", pair.source())) {
            return copyFolder(
                    address,
                    source,
                    target,
                    pair,
                    targetFolder,
                    targetExists,
                    sourceStatus,
                    emptyTargetStatus,
                    createdEmpty,
                    ahead,
                    next,
                    checkpoints);
        } finally {
            if (ahead != null) {
                ahead.discard(); // waits for it; closes its bodies unless they were handed on
            }
        }
    }

    private FolderResult copyFolder(
            String address,
            SourceStore source,
            TargetStore target,
            FolderPair pair,
            String targetFolder,
            boolean targetExists,
            SideStatus sourceStatus,
            Optional<SideStatus> emptyTargetStatus,
            FolderSnapshot createdEmpty,
            SourceLookahead ahead,
            SourceLookahead.Next next,
            List<PendingCheckpoint> checkpoints) {
        String sourceFolder = pair.source();
        List<RawMessage> prefetched = new ArrayList<>(); // read ahead, not handed on yet: closed at the end
        try {
            if (!dryRun && !targetExists) {
                store.beforeTargetWrite(address);
                target.createFolder(targetFolder);
                if (pair.subscribed()) {
                    target.subscribe(targetFolder);
                }
                faults.reached(FaultPoint.FOLDER_CREATED);
            }
            if (!dryRun) {
                store.folderCreated(address, sourceFolder);
            }
            faults.reached(FaultPoint.FOLDER_READY);
            // A folder whose STATUS says it is empty has nothing to copy, adopt, rebind or flag (the plan is built
            // from the source's messages): neither side is opened, which saves a folder switch and a metadata
            // FETCH on both servers (four to six round trips). A message that arrives meanwhile changes UIDNEXT
            // from the checkpointed STATUS, so the next pass plans the folder as usual.
            boolean emptySource = sourceStatus.messages() == 0;
            // The target's snapshot is read on its own session while this thread reads the source's: the two
            // round trips of each side (SELECT, FETCH) overlap instead of adding up.
            // A folder this pass created, whose STATUS after its CREATE said it was empty, is not read again: its
            // snapshot is that STATUS with no messages (createAhead).
            boolean readTarget = (targetExists || !dryRun) && !emptySource && createdEmpty == null;
            java.util.concurrent.FutureTask<FolderSnapshot> targetSnapshot =
                    new java.util.concurrent.FutureTask<>(() -> readTarget
                            ? target.snapshot(targetFolder)
                            : createdEmpty != null ? createdEmpty : FolderSnapshot.empty(targetFolder));
            if (readTarget) {
                Map<String, String> mdc = MDC.getCopyOfContextMap();
                Thread targetReader = new Thread(
                        () -> {
                            if (mdc != null) {
                                MDC.setContextMap(mdc);
                            }
                            targetSnapshot.run();
                        },
                        "sync-target-snapshot");
                targetReader.setDaemon(true);
                targetReader.start();
            } else {
                targetSnapshot.run();
            }
            FolderSnapshot listed;
            try {
                if (emptySource) {
                    listed = new FolderSnapshot(
                            sourceFolder,
                            sourceStatus.uidValidity(),
                            sourceStatus.uidNext(),
                            sourceStatus.highestModSeq(),
                            List.of());
                } else if (ahead != null) {
                    SourceLookahead.Ahead read = ahead.take();
                    prefetched.addAll(read.bodies());
                    listed = read.listed();
                } else {
                    listed = source.snapshot(sourceFolder);
                }
            } finally {
                awaitQuietly(targetSnapshot); // the target session is free again before anything else uses it
            }
            FolderSnapshot tgt = await(targetSnapshot);
            if (!dryRun) {
                store.recordFetched(
                        address,
                        sourceFolder,
                        listed.messages().size(),
                        listed.messages().stream()
                                .mapToLong(m -> m.identity().size())
                                .sum());
            }
            FolderSnapshot src = selected(listed);
            FolderState state = store.folderState(address, sourceFolder);
            SyncPlan.FolderPlan plan = SyncPlan.plan(src, tgt, state);
            if (dryRun) {
                return new FolderResult(
                        sourceFolder,
                        targetFolder,
                        false,
                        src.messages().size(),
                        plan.copies(),
                        0,
                        0,
                        plan.stepsOf(Step.Adopt.class).size(),
                        plan.stepsOf(Step.SetFlags.class).size(),
                        0,
                        null);
            }
            store.rebind(
                    address,
                    sourceFolder,
                    src.uidValidity(),
                    plan.stepsOf(Step.Rebind.class).stream()
                            .map(r -> (Map.Entry<io.mxcutover.sync.plan.CopyRecord, MessageMeta>)
                                    new AbstractMap.SimpleEntry<>(r.old(), r.source()))
                            .toList());
            List<Step.Adopt> adopts = plan.stepsOf(Step.Adopt.class);
            store.recordCopied(
                    address,
                    sourceFolder,
                    targetFolder,
                    src.uidValidity(),
                    adopts.stream()
                            .map(a -> new SyncStore.Copied(a.source(), tgt.uidValidity(), a.targetUid(), null))
                            .toList());
            long flagUpdates =
                    applyFlags(address, sourceFolder, src.uidValidity(), target, plan.stepsOf(Step.SetFlags.class));

            Map<Long, Failure> failures = failuresOf(address, sourceFolder, src.uidValidity());
            Due due = due(plan, failures, clock.instant());
            List<RawMessage> handed = List.copyOf(prefetched);
            prefetched.clear(); // the copier owns them now (it closes those it does not use)
            BatchCopier.Outcome outcome = new BatchCopier(store, settings, clock, faults, gates)
                    .copy(
                            address,
                            source,
                            target,
                            sourceFolder,
                            targetFolder,
                            src.uidValidity(),
                            tgt.uidValidity(),
                            due.copies(),
                            failures,
                            handed,
                            next == null ? () -> {} : next::start,
                            firstBatchBytes(due.copies(), handed));
            long failed = due.deferred() + outcome.refused();
            faults.reached(FaultPoint.BEFORE_CHECKPOINT);
            // The checkpoint's target side is read before this folder when it is empty and was there already (one
            // STATUS for all of those), else for every folder of the pass at once after the last one.
            PendingCheckpoint checkpoint = new PendingCheckpoint(
                    sourceFolder,
                    targetFolder,
                    sourceStatus,
                    tgt.uidValidity(),
                    failed == 0 && settings.messages().copiesEverything());
            Optional<SideStatus> read = emptySource ? emptyTargetStatus : Optional.empty();
            if (read.isPresent()) {
                store.saveCheckpoint(address, checkpoint.with(read));
            } else {
                checkpoints.add(checkpoint);
            }
            if (outcome.copied() > 0 || failed > 0) {
                LOG.info(
                        "mailbox {}: folder '{}' -> '{}': copied {} message(s), {} bytes; {} failed; {} adopted",
                        address,
                        sourceFolder,
                        targetFolder,
                        outcome.copied(),
                        outcome.bytes(),
                        failed,
                        adopts.size());
            }
            return new FolderResult(
                    sourceFolder,
                    targetFolder,
                    false,
                    src.messages().size(),
                    plan.copies(),
                    outcome.copied(),
                    outcome.bytes(),
                    adopts.size(),
                    flagUpdates,
                    failed,
                    null);
        } catch (ImapException e) {
            SyncFailurePolicy.Disposition d = SyncFailurePolicy.classify(e, SyncFailurePolicy.Operation.FOLDER);
            if (d.scope() != SyncFailurePolicy.Scope.FOLDER) {
                throw new FolderAbort(e);
            }
            LOG.warn("mailbox {}: folder '{}' not synced this pass: {}", address, sourceFolder, e.getMessage());
            recordFailure(address, sourceFolder, 0, 0, "FOLDER", e.getMessage(), Backoff.MESSAGES);
            return new FolderResult(sourceFolder, targetFolder, false, 0, 0, 0, 0, 0, 0, 0, e.getMessage());
        } finally {
            prefetched.forEach(RawMessage::close);
        }
    }

    /**
     * The failure of work done on another thread, thrown here as it was there: an {@link ImapException}, a
     * runtime exception or an error as itself, anything else wrapped.
     */
    static ImapException rethrown(Throwable cause) throws ImapException {
        if (cause instanceof ImapException ie) {
            throw ie;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(cause);
    }

    /** Waits for a background snapshot and returns it; its failure is thrown here as it was there. */
    private static FolderSnapshot await(java.util.concurrent.FutureTask<FolderSnapshot> task) throws ImapException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImapException(ImapException.Kind.CONNECTION, "interrupted while reading the target", "", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** Waits for a background snapshot to end, whatever its outcome (it is read again by {@link #await}). */
    private static void awaitQuietly(java.util.concurrent.FutureTask<FolderSnapshot> task) {
        boolean interrupted = false;
        while (true) {
            try {
                task.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The messages of the snapshot this pass may copy: all, or an age window, or none (imapsync's
     * --maxage/--minage/--justfolders). The plan sees only those; the folder is then not checkpointed complete,
     * so a later pass without the filter plans the rest.
     */
    private FolderSnapshot selected(FolderSnapshot listed) {
        if (settings.messages().copiesEverything()) {
            return listed;
        }
        Instant at = clock.instant();
        return new FolderSnapshot(
                listed.folder(),
                listed.uidValidity(),
                listed.uidNext(),
                listed.highestModSeq(),
                listed.messages().stream()
                        .filter(m -> settings.messages().admits(m, at))
                        .toList());
    }

    /**
     * Before the first copy of a mailbox: its legacy folders exported to {@code <backupDir>/<address>/}
     * (Maildir). The copy waits until the backup is complete; a backup that cannot be written fails the pass.
     */
    private Optional<String> backUpOnce(String address, SourceStore source, Namespace ns, List<FolderInfo> folders)
            throws ImapException {
        MaildirBackup backup = new MaildirBackup(backupRoot(settings.backupDir().get(), address), clock);
        if (backup.complete()) {
            return Optional.empty();
        }
        List<FolderInfo> wanted = folders.stream()
                .filter(f -> f.selectable() && settings.folderRulesFor(address).accepts(f.name(), ns))
                .toList();
        try {
            MaildirBackup.Outcome o = backup.backUp(source, ns, wanted);
            LOG.info(
                    "mailbox {}: legacy mailbox backed up to {} ({} message(s), {} bytes; {} already there)",
                    address,
                    backup.root(),
                    o.messages(),
                    o.bytes(),
                    o.alreadyThere());
            return Optional.empty();
        } catch (java.io.IOException e) {
            String why = "backup of the legacy mailbox to " + backup.root() + " failed: " + e
                    + "; nothing is copied before the backup is complete (free disk space or fix the directory's"
                    + " permissions; the backup resumes where it stopped)";
            LOG.warn("mailbox {}: {}", address, why);
            recordFailure(address, "", 0, 0, "MAILBOX", why, Backoff.MESSAGES);
            return Optional.of(why);
        }
    }

    /** {@code <backupDir>/<address>}, the address made safe as one path element. */
    public static java.nio.file.Path backupRoot(java.nio.file.Path backupDir, String address) {
        String safe = address.replace('/', '_').replace('\\', '_').replace('\0', '_');
        return backupDir.resolve(safe.startsWith(".") ? "_" + safe : safe);
    }

    private long applyFlags(
            String address, String sourceFolder, long uidValidity, TargetStore target, List<Step.SetFlags> steps)
            throws ImapException {
        Map<Long, Set<String>> synced = new HashMap<>();
        if (!steps.isEmpty()) {
            store.beforeTargetWrite(address);
        }
        for (Step.SetFlags s : steps) {
            target.storeFlags(s.targetUid(), s.add(), s.remove());
            synced.put(s.sourceUid(), s.nowSynced());
        }
        store.updateSyncedFlags(address, sourceFolder, uidValidity, synced);
        return steps.size();
    }

    void recordFailure(
            String address, String folder, long uidValidity, long uid, String scope, String reason, Backoff backoff) {
        Instant now = clock.instant();
        Optional<Failure> previous = store.failures(address).stream()
                .filter(f ->
                        f.sourceFolder().equals(folder) && f.sourceUidValidity() == uidValidity && f.sourceUid() == uid)
                .findFirst();
        int attempts = previous.map(Failure::attempts).orElse(0) + 1;
        store.recordFailure(new Failure(
                address,
                folder,
                uidValidity,
                uid,
                scope,
                reason,
                attempts,
                previous.map(Failure::firstFailedAt).orElse(now),
                now,
                backoff.next(attempts, now, reason)));
    }

    private MailboxResult mailboxFailed(String address, ImapException e, List<FolderResult> results) {
        SyncFailurePolicy.Disposition d = SyncFailurePolicy.classify(e, SyncFailurePolicy.Operation.LOGIN);
        String what = d.retry() == SyncFailurePolicy.Retry.AFTER_RECONFIGURATION
                ? e.getMessage()
                : e.getMessage() + " (will retry)";
        if (d.scope() == SyncFailurePolicy.Scope.SERVER && !dryRun) {
            gates.throttled(e.server(), e.serverText().isEmpty() ? e.getMessage() : e.serverText());
            what = e.getMessage() + " (the server asked to slow down: every mailbox on " + e.server() + " pauses for "
                    + gates.waitFor(e.server()).toSeconds() + " s, then this one is retried)";
        }
        LOG.warn("mailbox {}: not synced: {}", address, what);
        if (!dryRun) {
            recordFailure(address, "", 0, 0, "MAILBOX", what, Backoff.THROTTLING);
        }
        return finish(address, MailboxStatus.Phase.FAILED, what, results);
    }

    private MailboxResult finish(String address, MailboxStatus.Phase phase, String reason, List<FolderResult> results) {
        if (!dryRun) {
            store.mailboxFinished(
                    address,
                    phase,
                    reason,
                    results.stream()
                            .filter(r -> r.complete() && !r.unchanged())
                            .map(FolderResult::sourceFolder)
                            .toList());
        }
        List<FolderMove> moves = dryRun
                ? dryRunMoves
                : store.plannedFolders(address).stream()
                        .map(io.mxcutover.sync.state.PlannedFolder::move)
                        .filter(m -> m.kind() != FolderMove.Kind.SAME)
                        .toList();
        return new MailboxResult(address, phase, reason, results, moves);
    }

    private static String summarize(List<FolderResult> results) {
        StringBuilder sb = new StringBuilder();
        for (FolderResult r : results) {
            if (!r.complete()) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append("folder '")
                        .append(r.sourceFolder())
                        .append("': ")
                        .append(r.error() != null ? r.error() : r.failed() + " message(s) not copied (see failures)");
            }
        }
        return sb.toString();
    }

    /** A folder-level step hit a mailbox-level failure (connection lost): ends the pass. */
    static final class FolderAbort extends RuntimeException {
        final ImapException cause;

        FolderAbort(ImapException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }
    }

    /** Opens the target session on first use only (a pass with nothing new never logs in there). */
    /** Daemon threads that open a mailbox's new-server session while its legacy one is read. */
    private static final java.util.concurrent.ExecutorService EARLY_TARGETS =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "target-open");
                t.setDaemon(true);
                return t;
            });

    /** The new server's session of one pass: opened at first use, or early (logged in and listed) on another thread. */
    private final class LazyTarget implements AutoCloseable {
        private final MailboxAccount account;
        private final java.util.concurrent.CompletableFuture<Listed> early;
        private TargetStore session;
        /** What the early open listed: the folders until {@link #folders} used them, the namespace for the pass. */
        private List<FolderInfo> earlyFolders;

        private Namespace earlyNamespace;

        /** A session opened early, with its folders and namespace (each asked once per pass). */
        private record Listed(TargetStore session, List<FolderInfo> folders, Namespace namespace) {}

        LazyTarget(MailboxAccount account, boolean openEarly) {
            this.account = account;
            if (!openEarly) {
                this.early = null;
                return;
            }
            Map<String, String> logContext = MDC.getCopyOfContextMap();
            this.early = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        if (logContext != null) {
                            MDC.setContextMap(logContext);
                        }
                        try {
                            TargetStore s = sessions.openTarget(account);
                            try {
                                return new Listed(s, s.folders(), s.namespace());
                            } catch (ImapException | RuntimeException e) {
                                s.close();
                                throw e;
                            }
                        } catch (ImapException e) {
                            throw new java.util.concurrent.CompletionException(e);
                        } finally {
                            MDC.clear();
                        }
                    },
                    EARLY_TARGETS);
        }

        TargetStore get() throws ImapException {
            if (session == null) {
                if (early != null) {
                    Listed listed;
                    try {
                        listed = early.join();
                    } catch (java.util.concurrent.CompletionException e) {
                        throw rethrown(e.getCause());
                    }
                    session = listed.session();
                    earlyFolders = listed.folders();
                    earlyNamespace = listed.namespace();
                } else {
                    session = sessions.openTarget(account);
                }
            }
            return session;
        }

        /** The new server's folders: as listed by the early open (once), else asked now. */
        List<FolderInfo> folders() throws ImapException {
            TargetStore s = get();
            List<FolderInfo> f = earlyFolders;
            earlyFolders = null;
            return f != null ? f : s.folders();
        }

        Namespace namespace() throws ImapException {
            TargetStore s = get();
            return earlyNamespace != null ? earlyNamespace : s.namespace();
        }

        @Override
        public void close() {
            if (session != null) {
                session.close();
            } else if (early != null) {
                // Not used (the legacy side failed first, or nothing changed): closed once its login is done.
                // A failed early open has nothing to close (and its error was the pass's to report, had it asked).
                var unused = early.thenAccept(l -> l.session().close());
            }
        }
    }
}
