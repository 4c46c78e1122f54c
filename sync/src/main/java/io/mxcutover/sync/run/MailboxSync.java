package io.mxcutover.sync.run;

import io.mxcutover.sync.backup.MaildirBackup;
import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.FolderMapping;
import io.mxcutover.sync.folder.FolderPair;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapMailboxStore;
import io.mxcutover.sync.imap.RawMessage;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.plan.FolderState;
import io.mxcutover.sync.plan.MessageMeta;
import io.mxcutover.sync.plan.Step;
import io.mxcutover.sync.plan.SyncPlan;
import io.mxcutover.sync.state.Failure;
import io.mxcutover.sync.state.FolderCheckpoint;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.state.SyncStore;
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
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over one mailbox: list, map, and for each folder that changed since its checkpoint
 * plan and carry out the plan. The target is only logged into when some folder needs work,
 * so a pass with nothing new costs a login, a LIST and one STATUS per folder on the source.
 *
 * <p>Per folder, in this order (STYLE §4): create the target folder; snapshot both sides; plan;
 * record rebinds/adoptions; apply flag changes; copy in batches (journal INTENT, APPEND, record
 * DONE); write the checkpoint last. A failure is scoped by {@link FailurePolicy}: a refused
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
    private final Executor helpers;
    private final int maxHelpers;

    public MailboxSync(SyncStore store, SyncSettings settings, Clock clock, FaultInjector faults, boolean dryRun) {
        this(store, settings, clock, faults, dryRun, f -> true, new ServerGates(clock, settings.throttling()));
    }

    /**
     * {@code folderFilter} limits the pass to some source folders (IDLE wakes only INBOX); {@code gates} are
     * the servers' throttling gates shared by every mailbox.
     */
    public MailboxSync(SyncStore store, SyncSettings settings, Clock clock, FaultInjector faults, boolean dryRun,
                       Predicate<String> folderFilter, ServerGates gates) {
        this(store, settings, clock, faults, dryRun, folderFilter, gates, null, 0);
    }

    /**
     * With {@code helpers}: up to {@code maxHelpers} extra workers of that pool may take folders of this mailbox
     * that nobody has started yet, each with its own pair of connections. The pool is the one that runs the
     * mailboxes, so a helper only starts when a worker is free: near the end of a run, when fewer mailboxes than
     * workers are left, the last mailboxes' folders are copied side by side instead of one after the other.
     */
    public MailboxSync(SyncStore store, SyncSettings settings, Clock clock, FaultInjector faults, boolean dryRun,
                       Predicate<String> folderFilter, ServerGates gates, Executor helpers, int maxHelpers) {
        this.helpers = helpers;
        this.maxHelpers = maxHelpers;
        this.gates = gates;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.faults = faults;
        this.dryRun = dryRun;
        this.folderFilter = folderFilter;
    }

    public MailboxResult run(MailboxAccount account) {
        String address = account.address();
        if (!dryRun) {
            store.mailboxStarted(address);
        }
        List<FolderResult> results = new ArrayList<>();
        try (ImapMailboxStore source = ImapMailboxStore.open(settings.source(), account.source(),
                ImapMailboxStore.Side.SOURCE, settings.imap()); LazyTarget target = new LazyTarget(account)) {
            Namespace sourceNs = source.namespace();
            List<FolderInfo> sourceFolders = source.folders();
            if (!dryRun && settings.backupDir().isPresent()) {
                Optional<String> failed = backUpOnce(address, source, sourceNs, sourceFolders);
                if (failed.isPresent()) {
                    return finish(address, MailboxStatus.Phase.FAILED, failed.get(), results);
                }
            }
            Map<FolderInfo, SideStatus> todo = new LinkedHashMap<>();
            for (FolderInfo folder : sourceFolders) {
                if (!folder.selectable() || !folderFilter.test(folder.name())
                        || !settings.folderRules().accepts(String.join("/", FolderMapping.canonicalLevels(folder.name(), sourceNs)))) {
                    continue;
                }
                Optional<SideStatus> status = source.status(folder.name());
                if (status.isEmpty()) {
                    continue; // vanished between LIST and STATUS
                }
                Optional<FolderCheckpoint> cp = store.checkpoint(address, folder.name());
                if (!dryRun && cp.isPresent() && cp.get().complete() && cp.get().source().equals(status.get())) {
                    results.add(new FolderResult(folder.name(), cp.get().targetFolder(), true, status.get().messages(),
                            0, 0, 0, 0, 0, 0, null));
                } else {
                    todo.put(folder, status.get());
                }
            }
            if (!todo.isEmpty()) {
                ImapMailboxStore t = target.get();
                Namespace targetNs = t.namespace();
                List<FolderInfo> targetFolders = t.folders();
                Map<String, FolderPair> pairs = new HashMap<>();
                FolderMapping.map(sourceFolders, sourceNs, targetFolders, targetNs, settings.folderRules())
                        .forEach(p -> pairs.put(p.source(), p));
                Set<String> existing = new java.util.HashSet<>();
                targetFolders.forEach(f -> existing.add(f.name()));
                List<FolderJob> jobs = new ArrayList<>();
                for (Map.Entry<FolderInfo, SideStatus> e : todo.entrySet()) {
                    FolderPair pair = pairs.get(e.getKey().name());
                    if (pair == null) {
                        continue;
                    }
                    String targetFolder = store.checkpoint(address, pair.source()).map(FolderCheckpoint::targetFolder)
                            .orElse(pair.target());
                    jobs.add(new FolderJob(jobs.size(), pair, targetFolder, existing.contains(targetFolder), e.getValue()));
                }
                boolean shared = helpers != null && maxHelpers > 0 && !dryRun && jobs.size() > 1;
                if (shared) {
                    jobs = createTargetFolders(t, jobs); // in LIST order: a parent before its children
                }
                FolderWork work = new FolderWork(jobs);
                if (shared) {
                    try {
                        for (int i = 0; i < Math.min(maxHelpers, jobs.size() - 1); i++) {
                            helpers.execute(() -> help(account, work));
                        }
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        LOG.debug("mailbox {}: no helpers (the sync is stopping)", address);
                    }
                }
                try {
                    for (FolderJob job = work.ownerClaim(); job != null; job = work.ownerClaim()) {
                        work.finished(job, syncFolder(address, source, t, job.pair(), job.targetFolder(),
                                job.targetExists(), job.status()), false);
                    }
                } finally {
                    results.addAll(work.close()); // waits for the folders helpers are copying
                }
            }
        } catch (ImapException e) {
            return mailboxFailed(address, e, results);
        } catch (FolderAbort e) {
            return mailboxFailed(address, e.cause, results);
        } catch (RuntimeException e) {
            LOG.error("mailbox {}: sync pass failed unexpectedly; it will be retried", address, e);
            return finish(address, MailboxStatus.Phase.INCOMPLETE, "internal error: " + e.getMessage(), results);
        }
        gates.passed(SyncService.key(settings.source()));
        gates.passed(SyncService.key(settings.target()));
        boolean complete = results.stream().allMatch(FolderResult::complete);
        String reason = complete ? null : summarize(results);
        return finish(address, complete ? MailboxStatus.Phase.SYNCED : MailboxStatus.Phase.INCOMPLETE, reason, results);
    }

    private FolderResult syncFolder(String address, ImapMailboxStore source, ImapMailboxStore target, FolderPair pair,
                                    String targetFolder, boolean targetExists, SideStatus sourceStatus) {
        String sourceFolder = pair.source();
        try {
            if (!dryRun && !targetExists) {
                target.createFolder(targetFolder);
                if (pair.subscribed()) {
                    target.subscribe(targetFolder);
                }
            }
            faults.reached(FaultPoint.FOLDER_READY);
            FolderSnapshot src = source.snapshot(sourceFolder);
            FolderSnapshot tgt = targetExists || !dryRun ? target.snapshot(targetFolder) : FolderSnapshot.empty(targetFolder);
            FolderState state = store.folderState(address, sourceFolder);
            SyncPlan.FolderPlan plan = SyncPlan.plan(src, tgt, state);
            if (dryRun) {
                return new FolderResult(sourceFolder, targetFolder, false, src.messages().size(), plan.copies(), 0, 0,
                        plan.stepsOf(Step.Adopt.class).size(), plan.stepsOf(Step.SetFlags.class).size(), 0, null);
            }
            store.rebind(address, sourceFolder, src.uidValidity(), plan.stepsOf(Step.Rebind.class).stream()
                    .map(r -> (Map.Entry<io.mxcutover.sync.plan.CopyRecord, MessageMeta>)
                            new AbstractMap.SimpleEntry<>(r.old(), r.source())).toList());
            List<Step.Adopt> adopts = plan.stepsOf(Step.Adopt.class);
            store.recordCopied(address, sourceFolder, targetFolder, src.uidValidity(), adopts.stream()
                    .map(a -> new SyncStore.Copied(a.source(), tgt.uidValidity(), a.targetUid(), null)).toList());
            long flagUpdates = applyFlags(address, sourceFolder, src.uidValidity(), target, plan.stepsOf(Step.SetFlags.class));

            Map<Long, Failure> failures = new HashMap<>();
            store.failures(address).stream().filter(f -> f.sourceFolder().equals(sourceFolder)
                    && f.sourceUidValidity() == src.uidValidity() && f.sourceUid() > 0)
                    .forEach(f -> failures.put(f.sourceUid(), f));
            Instant now = clock.instant();
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
            BatchCopier.Outcome outcome = new BatchCopier(store, settings, clock, faults, gates)
                    .copy(address, source, target, sourceFolder, targetFolder, src.uidValidity(), tgt.uidValidity(),
                            copies, failures);
            long failed = deferred + outcome.refused();
            faults.reached(FaultPoint.BEFORE_CHECKPOINT);
            SideStatus targetStatus = target.status(targetFolder).orElse(new SideStatus(tgt.uidValidity(), 0, 0, 0));
            store.saveCheckpoint(address, new FolderCheckpoint(sourceFolder, targetFolder, sourceStatus, targetStatus,
                    failed == 0));
            if (outcome.copied() > 0 || failed > 0) {
                LOG.info("mailbox {}: folder '{}' -> '{}': copied {} message(s), {} bytes; {} failed; {} adopted",
                        address, sourceFolder, targetFolder, outcome.copied(), outcome.bytes(), failed, adopts.size());
            }
            return new FolderResult(sourceFolder, targetFolder, false, src.messages().size(), plan.copies(),
                    outcome.copied(), outcome.bytes(), adopts.size(), flagUpdates, failed, null);
        } catch (ImapException e) {
            FailurePolicy.Disposition d = FailurePolicy.classify(e, FailurePolicy.Operation.FOLDER);
            if (d.scope() != FailurePolicy.Scope.FOLDER) {
                throw new FolderAbort(e);
            }
            LOG.warn("mailbox {}: folder '{}' not synced this pass: {}", address, sourceFolder, e.getMessage());
            recordFailure(address, sourceFolder, 0, 0, "FOLDER", e.getMessage(), Backoff.MESSAGES);
            return new FolderResult(sourceFolder, targetFolder, false, 0, 0, 0, 0, 0, 0, 0, e.getMessage());
        }
    }

    /** Creates (and subscribes) the target folders that do not exist yet, in the order given. */
    private List<FolderJob> createTargetFolders(ImapMailboxStore target, List<FolderJob> jobs) {
        List<FolderJob> out = new ArrayList<>();
        for (FolderJob job : jobs) {
            if (job.targetExists()) {
                out.add(job);
                continue;
            }
            try {
                target.createFolder(job.targetFolder());
                if (job.pair().subscribed()) {
                    target.subscribe(job.targetFolder());
                }
                out.add(new FolderJob(job.order(), job.pair(), job.targetFolder(), true, job.status()));
            } catch (ImapException e) {
                out.add(job); // syncFolder creates it again and reports the refusal for that folder
            }
        }
        return out;
    }

    /**
     * A helper: takes folders of this mailbox nobody has started, until none is left, over its own connections.
     * It never fails the mailbox by itself: a folder it could not finish is reported incomplete (the next pass
     * resumes it); when it cannot log in, it gives the folder back to the mailbox's own worker.
     */
    private void help(MailboxAccount account, FolderWork work) {
        FolderJob job = work.helperClaim();
        if (job == null) {
            return;
        }
        String address = account.address();
        ImapMailboxStore source = null;
        ImapMailboxStore target = null;
        boolean holding = true; // the claimed folder is neither finished nor given back yet
        try {
            try {
                source = ImapMailboxStore.open(settings.source(), account.source(), ImapMailboxStore.Side.SOURCE,
                        settings.imap());
                target = ImapMailboxStore.open(settings.target(), account.target(), ImapMailboxStore.Side.TARGET,
                        settings.imap());
            } catch (ImapException | RuntimeException e) {
                LOG.debug("mailbox {}: a helper could not log in ({}); the mailbox's worker goes on alone", address,
                        e.getMessage());
                holding = false;
                work.giveBack(job);
                return;
            }
            while (job != null) {
                FolderResult r;
                boolean stop = false;
                try {
                    r = syncFolder(address, source, target, job.pair(), job.targetFolder(), job.targetExists(), job.status());
                } catch (FolderAbort e) {
                    r = helperAborted(address, job, e.cause);
                    stop = true;
                } catch (RuntimeException e) {
                    LOG.error("mailbox {}: folder '{}' failed unexpectedly; it will be retried", address,
                            job.pair().source(), e);
                    r = new FolderResult(job.pair().source(), job.targetFolder(), false, 0, 0, 0, 0, 0, 0, 0,
                            "internal error: " + e.getMessage());
                    stop = true;
                }
                holding = false;
                work.finished(job, r, true);
                job = stop ? null : work.helperClaim();
                holding = job != null;
            }
        } catch (Error e) {
            // Out of memory, or a test's simulated crash: the mailbox's worker stops handing out folders and
            // rethrows it once the other helpers are done, as if it had happened on its own thread.
            work.helperDied(holding, e);
            throw e;
        } finally {
            if (source != null) {
                source.close();
            }
            if (target != null) {
                target.close();
            }
        }
    }

    private FolderResult helperAborted(String address, FolderJob job, ImapException e) {
        FailurePolicy.Disposition d = FailurePolicy.classify(e, FailurePolicy.Operation.LOGIN);
        if (d.scope() == FailurePolicy.Scope.SERVER) {
            gates.throttled(e.server(), e.serverText().isEmpty() ? e.getMessage() : e.serverText());
        }
        LOG.warn("mailbox {}: folder '{}' not synced this pass: {} (will retry)", address, job.pair().source(),
                e.getMessage());
        return new FolderResult(job.pair().source(), job.targetFolder(), false, 0, 0, 0, 0, 0, 0, 0,
                e.getMessage() + " (will retry)");
    }

    /** One folder to copy: its place in the LIST order (results are reported in it) and what is known of it. */
    private record FolderJob(int order, FolderPair pair, String targetFolder, boolean targetExists, SideStatus status) {
    }

    /**
     * The folders of one pass, shared by the mailbox's own worker and its helpers: largest first (so what is
     * left at the end, for helpers, is small), each taken once. The owner waits only for folders helpers have
     * taken; a helper that never started finds the work closed and does nothing.
     */
    private static final class FolderWork {
        private final java.util.ArrayDeque<FolderJob> queue;
        private final List<Map.Entry<Integer, FolderResult>> done = new ArrayList<>();
        private int helping;
        private boolean closed;
        private Error error;

        FolderWork(List<FolderJob> jobs) {
            List<FolderJob> sorted = new ArrayList<>(jobs);
            sorted.sort(java.util.Comparator.comparingLong((FolderJob j) -> j.status().messages()).reversed()
                    .thenComparingInt(FolderJob::order));
            queue = new java.util.ArrayDeque<>(sorted);
        }

        synchronized FolderJob ownerClaim() {
            while (true) {
                if (closed) {
                    return null;
                }
                if (!queue.isEmpty()) {
                    return queue.poll();
                }
                if (helping == 0) {
                    closed = true;
                    return null;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                    return null;
                }
            }
        }

        synchronized FolderJob helperClaim() {
            if (closed || queue.isEmpty()) {
                return null;
            }
            helping++;
            return queue.poll();
        }

        synchronized void giveBack(FolderJob job) {
            queue.addFirst(job);
            helping--;
            notifyAll();
        }

        synchronized void helperDied(boolean holding, Error e) {
            if (error == null) {
                error = e;
            }
            if (holding) {
                helping--;
            }
            closed = true;
            notifyAll();
        }

        synchronized void finished(FolderJob job, FolderResult result, boolean byHelper) {
            done.add(Map.entry(job.order(), result));
            if (byHelper) {
                helping--;
                notifyAll();
            }
        }

        /**
         * No more folders are handed out; waits for the helpers' current folders; the results in LIST order.
         * An {@link Error} a helper died of is rethrown here, on the mailbox's own thread.
         */
        synchronized List<FolderResult> close() {
            closed = true;
            while (helping > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (error != null) {
                throw error;
            }
            List<Map.Entry<Integer, FolderResult>> sorted = new ArrayList<>(done);
            sorted.sort(Map.Entry.comparingByKey());
            return sorted.stream().map(Map.Entry::getValue).toList();
        }
    }

    /**
     * Before the first copy of a mailbox: its legacy folders exported to {@code <backupDir>/<address>/}
     * (Maildir). The copy waits until the backup is complete; a backup that cannot be written fails the pass.
     */
    private Optional<String> backUpOnce(String address, ImapMailboxStore source, Namespace ns, List<FolderInfo> folders)
            throws ImapException {
        MaildirBackup backup = new MaildirBackup(backupRoot(settings.backupDir().get(), address));
        if (backup.complete()) {
            return Optional.empty();
        }
        List<FolderInfo> wanted = folders.stream().filter(f -> f.selectable() && settings.folderRules()
                .accepts(String.join("/", FolderMapping.canonicalLevels(f.name(), ns)))).toList();
        try {
            MaildirBackup.Outcome o = backup.backUp(source, ns, wanted);
            LOG.info("mailbox {}: legacy mailbox backed up to {} ({} message(s), {} bytes; {} already there)",
                    address, backup.root(), o.messages(), o.bytes(), o.alreadyThere());
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

    private long applyFlags(String address, String sourceFolder, long uidValidity, ImapMailboxStore target,
                            List<Step.SetFlags> steps) throws ImapException {
        Map<Long, Set<String>> synced = new HashMap<>();
        for (Step.SetFlags s : steps) {
            target.storeFlags(s.targetUid(), s.add(), s.remove());
            synced.put(s.sourceUid(), s.nowSynced());
        }
        store.updateSyncedFlags(address, sourceFolder, uidValidity, synced);
        return steps.size();
    }

    void recordFailure(String address, String folder, long uidValidity, long uid, String scope, String reason, Backoff backoff) {
        Instant now = clock.instant();
        Optional<Failure> previous = store.failures(address).stream()
                .filter(f -> f.sourceFolder().equals(folder) && f.sourceUidValidity() == uidValidity && f.sourceUid() == uid)
                .findFirst();
        int attempts = previous.map(Failure::attempts).orElse(0) + 1;
        store.recordFailure(new Failure(address, folder, uidValidity, uid, scope, reason, attempts,
                previous.map(Failure::firstFailedAt).orElse(now), now, backoff.next(attempts, now, reason)));
    }

    private MailboxResult mailboxFailed(String address, ImapException e, List<FolderResult> results) {
        FailurePolicy.Disposition d = FailurePolicy.classify(e, FailurePolicy.Operation.LOGIN);
        String what = d.retry() == FailurePolicy.Retry.AFTER_RECONFIGURATION
                ? e.getMessage() : e.getMessage() + " (will retry)";
        if (d.scope() == FailurePolicy.Scope.SERVER && !dryRun) {
            gates.throttled(e.server(), e.serverText().isEmpty() ? e.getMessage() : e.serverText());
            what = e.getMessage() + " (the server asked to slow down: every mailbox on " + e.server()
                    + " pauses for " + gates.waitFor(e.server()).toSeconds() + " s, then this one is retried)";
        }
        LOG.warn("mailbox {}: not synced: {}", address, what);
        if (!dryRun) {
            recordFailure(address, "", 0, 0, "MAILBOX", what, Backoff.THROTTLING);
        }
        return finish(address, MailboxStatus.Phase.FAILED, what, results);
    }

    private MailboxResult finish(String address, MailboxStatus.Phase phase, String reason, List<FolderResult> results) {
        if (!dryRun) {
            store.mailboxFinished(address, phase, reason);
            if (phase != MailboxStatus.Phase.FAILED) {
                store.clearMailboxFailures(address);
            }
            store.clearFolderFailures(address, results.stream().filter(r -> r.complete() && !r.unchanged())
                    .map(FolderResult::sourceFolder).toList());
        }
        return new MailboxResult(address, phase, reason, results);
    }

    private static String summarize(List<FolderResult> results) {
        StringBuilder sb = new StringBuilder();
        for (FolderResult r : results) {
            if (!r.complete()) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append("folder '").append(r.sourceFolder()).append("': ")
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
    private final class LazyTarget implements AutoCloseable {
        private final MailboxAccount account;
        private ImapMailboxStore session;

        LazyTarget(MailboxAccount account) {
            this.account = account;
        }

        ImapMailboxStore get() throws ImapException {
            if (session == null) {
                session = ImapMailboxStore.open(settings.target(), account.target(), ImapMailboxStore.Side.TARGET,
                        settings.imap());
            }
            return session;
        }

        @Override
        public void close() {
            if (session != null) {
                session.close();
            }
        }
    }
}
