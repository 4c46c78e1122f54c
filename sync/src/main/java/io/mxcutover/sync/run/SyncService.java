package io.mxcutover.sync.run;

import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.ForeignMailboxException;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.engine.MailboxSync;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSourceStore;
import io.mxcutover.sync.inventory.InventoryReport;
import io.mxcutover.sync.inventory.InventoryRun;
import io.mxcutover.sync.inventory.InventorySettings;
import io.mxcutover.sync.inventory.PassLog;
import io.mxcutover.sync.lease.HeldLease;
import io.mxcutover.sync.lease.HeldSlot;
import io.mxcutover.sync.lease.LeaseRules;
import io.mxcutover.sync.lease.NodeLeases;
import io.mxcutover.sync.lease.SlottedSessions;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.mailbox.MailboxCsv;
import io.mxcutover.sync.report.Eta;
import io.mxcutover.sync.report.MailboxReport;
import io.mxcutover.sync.report.RateMeter;
import io.mxcutover.sync.report.SyncReport;
import io.mxcutover.sync.state.FolderCheckpoint;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.state.SyncStore;
import io.mxcutover.sync.throttle.ServerGates;
import io.mxcutover.sync.time.Sleeper;
import io.mxcutover.sync.verify.Verifier;
import io.mxcutover.sync.verify.VerifyReport;
import java.io.IOException;
import java.io.Reader;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade the appliance and the CLI use. Holds the state store, runs mailbox passes on a
 * bounded pool ({@code parallelMailboxes}; each pass holds at most two connections per server),
 * never runs two passes of one mailbox at once, and in continuous mode re-checks every mailbox
 * on the adaptive schedule of {@link PollSchedule} and IDLEs on the INBOX of up to {@code maxIdleMailboxes} mailboxes.
 *
 * <p>A service built for a domain ({@link SyncSettings#withDomain}) works only on that domain's
 * mailboxes, whatever scope it is given: passes and IDLE skip the others, and a direct request for one
 * (sync, verify, backup check, import) is refused with {@link ForeignMailboxException} before its
 * credentials are read, so they never reach another domain's servers.
 *
 * <p>Lifecycle: construct, {@link #importCsv} (or mailboxes already in the store), then
 * {@link #syncOnce}/{@link #syncAll} or {@link #startContinuous()} ... {@link #stop()}.
 */
public final class SyncService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);

    private final SyncStore store;
    private final SecretBox secrets;
    private final SyncSettings settings;
    private final Clock clock;
    /**
     * The continuous schedule's time (when a mailbox is checked next, when IDLE is topped up): {@code clock} unless
     * the caller passes another. The appliance passes the system clock, as {@code clock} is in production; its
     * tests freeze or move {@code clock} by hours, and the checks must not freeze or jump with it.
     */
    private final Clock ticker;

    private final FaultInjector faults;
    private final ServerGates gates;
    private final Sleeper sleeper;
    private final NodeLeases leases;
    private final ExecutorService pool;
    /** How long {@link #close} waits for passes in flight to end. */
    static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

    private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();
    private final RateMeter rate = new RateMeter();
    private final PassLog passes;
    private final Instant startedAt;
    private final List<IdleWatcher> watchers = new ArrayList<>();
    /** Continuous mode: each mailbox's last check and last change ({@link PollSchedule}). */
    private final Map<String, PollSchedule.Checked> checks = new ConcurrentHashMap<>();
    /** Continuous mode: mailboxes queued for a scheduled pass or in one (never queued twice). */
    private final java.util.Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Continuous mode: mailboxes whose INBOX an IDLE watcher holds. */
    private final java.util.Set<String> idled = ConcurrentHashMap.newKeySet();

    private volatile ScheduledExecutorService scheduler;
    private volatile java.util.function.Consumer<MailboxResult> listener = r -> {};
    private volatile PassObserver observer = PassObserver.NONE;

    public SyncService(DataSource dataSource, SecretBox secrets, SyncSettings settings, Clock clock) {
        this(dataSource, secrets, settings, clock, FaultInjector.NONE);
    }

    public SyncService(
            DataSource dataSource, SecretBox secrets, SyncSettings settings, Clock clock, FaultInjector faults) {
        this(dataSource, secrets, settings, clock, faults, new ServerGates(clock, settings.throttling()));
    }

    /** {@code gates}: shared with other services whose mailboxes live on the same servers (the appliance's domains). */
    public SyncService(
            DataSource dataSource,
            SecretBox secrets,
            SyncSettings settings,
            Clock clock,
            FaultInjector faults,
            ServerGates gates) {
        this(dataSource, secrets, settings, clock, faults, gates, Sleeper.SYSTEM);
    }

    /** {@code sleeper}: how an IDLE watcher waits before it reconnects after a failure (real time unless a test). */
    public SyncService(
            DataSource dataSource,
            SecretBox secrets,
            SyncSettings settings,
            Clock clock,
            FaultInjector faults,
            ServerGates gates,
            Sleeper sleeper) {
        this(dataSource, secrets, settings, clock, faults, gates, sleeper, null);
    }

    /**
     * {@code leases}: this node's share of the work when several nodes share the store (null: none, the one-shot
     * CLI). With them a mailbox's pass runs only while this node holds the mailbox's lease, its sessions hold
     * connection slots under the cluster-wide caps, and IDLE runs on the mailboxes whose IDLE lease this node holds.
     * The service does not close them (they are the node's, shared by its services).
     */
    public SyncService(
            DataSource dataSource,
            SecretBox secrets,
            SyncSettings settings,
            Clock clock,
            FaultInjector faults,
            ServerGates gates,
            Sleeper sleeper,
            NodeLeases leases) {
        this(dataSource, secrets, settings, clock, faults, gates, sleeper, leases, clock);
    }

    /** {@code ticker}: the clock of the continuous schedule (see the field), when it is not {@code clock}. */
    public SyncService(
            DataSource dataSource,
            SecretBox secrets,
            SyncSettings settings,
            Clock clock,
            FaultInjector faults,
            ServerGates gates,
            Sleeper sleeper,
            NodeLeases leases,
            Clock ticker) {
        this.ticker = ticker;
        this.gates = gates;
        this.sleeper = sleeper;
        this.leases = leases;
        SyncStore plain = new SyncStore(dataSource, clock);
        this.store = leases == null ? plain : plain.fencedBy(leases);
        if (leases != null) {
            leases.start();
        }
        this.passes = new PassLog(dataSource);
        this.secrets = secrets;
        this.settings = settings;
        this.clock = clock;
        this.faults = faults;
        this.startedAt = clock.instant();
        this.pool = Executors.newFixedThreadPool(settings.parallelMailboxes(), r -> {
            Thread t = new Thread(r, "sync-mailbox");
            t.setDaemon(true);
            return t;
        });
    }

    /** Called after every mailbox pass (any thread): the appliance tracks the last new message seen on legacy. */
    public void onMailboxSynced(java.util.function.Consumer<MailboxResult> listener) {
        this.listener = listener;
    }

    /** Told after every mailbox pass with its duration (the appliance's metrics); replaces the previous one. */
    public void observePasses(PassObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    public SyncStore store() {
        return store;
    }

    public SyncSettings settings() {
        return settings;
    }

    /** Reads a mailbox list (CSV or user:pass:alias) and stores it, secrets sealed. Returns the addresses. */
    public List<String> importCsv(Reader csv) throws IOException {
        List<MailboxAccount> accounts = settings.domain().isPresent()
                ? MailboxCsv.parseFor(csv, List.of(settings.domain().get()))
                : MailboxCsv.parse(csv);
        store.saveMailboxes(accounts, secrets, a -> awaitsUser(a, settings));
        LOG.info("imported {} mailbox(es) into the sync plan", accounts.size());
        return accounts.stream().map(MailboxAccount::address).toList();
    }

    /**
     * Whether an imported mailbox waits for its user's self-service login: no legacy password, and no legacy master
     * user to log in for it (with one, an empty password means "through the master user").
     */
    public static boolean awaitsUser(MailboxAccount a, SyncSettings settings) {
        return a.source().kind() == io.mxcutover.sync.credential.Login.Kind.PASSWORD
                && a.source().secret().isEmpty()
                && settings.source().master().isEmpty();
    }

    /** Stores the accounts; with a domain, all or none: one of another domain refuses the whole list. */
    public void addMailboxes(List<MailboxAccount> accounts) {
        accounts.forEach(a -> admit(a.address()));
        store.saveMailboxes(accounts, secrets);
    }

    /**
     * The admin fixed what made messages fail (a quota raised on the new server, a folder repaired): forgets
     * the mailbox's failures, their backoff and attempt counts, so its next pass tries them all at once.
     * Returns how many were forgotten.
     */
    public int retryFailures(String address) {
        admit(address);
        int forgotten = store.failures(address).size();
        store.clearAllFailures(address);
        LOG.info("mailbox {}: {} failure(s) forgotten by the admin; the next pass retries them", address, forgotten);
        return forgotten;
    }

    public List<MailboxStatus> mailboxes() {
        return store.mailboxes();
    }

    public MailboxResult syncOnce(String address) {
        return syncOnce(address, f -> true);
    }

    MailboxResult syncOnce(String address, Predicate<String> folders) {
        if (leases == null || awaitingUser(address)) {
            return pass(address, folders, null);
        }
        admit(address);
        // Another node may be copying it: wait for its pass to end (or its lease to expire).
        HeldLease lease = null;
        try {
            while (lease == null) {
                lease = leases.claim(address).orElse(null);
                if (lease == null) {
                    if (!leases.active()) {
                        return new MailboxResult(
                                address, MailboxStatus.Phase.INCOMPLETE, "this node is stopping", List.of());
                    }
                    sleeper.sleep(leases.pollStep());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new MailboxResult(
                    address,
                    MailboxStatus.Phase.INCOMPLETE,
                    "stopped while waiting for the mailbox's lease",
                    List.of());
        }
        return pass(address, folders, lease);
    }

    /**
     * A continuous check's pass with leases: only when no node holds the mailbox and no other node passed it within
     * the wait this node's schedule gives it ({@link #sharedRest}: the nodes share the checks). Null when it was left
     * to another node.
     */
    private MailboxResult checkPassIfFree(String address) {
        Optional<HeldLease> lease = leases.claimNext(List.of(address), sharedRest(address));
        return lease.map(l -> pass(address, f -> true, l)).orElse(null);
    }

    /**
     * How recent another node's pass of the mailbox must be for this node's check to count it as its own: the wait
     * this node's schedule gives the mailbox now (at least half an interval). With half an interval for every
     * mailbox, each node re-checked every quiet mailbox on its own schedule, and two nodes cost the legacy server
     * twice the checks of one (bench/scale: 1,000 mailboxes, 12,846 legacy logins in one 2-node run, a quiet mailbox
     * checked by both nodes 4 s apart).
     */
    private java.time.Duration sharedRest(String address) {
        java.time.Duration half = settings.interval().dividedBy(2);
        PollSchedule.Checked last = checks.get(address);
        if (last == null) {
            return half;
        }
        java.time.Duration wait = PollSchedule.of(settings).waitAfter(last, idled.contains(address));
        return wait.compareTo(half) > 0 ? wait : half;
    }

    private volatile Instant lastIdleTopUp = Instant.EPOCH;

    /** Whether IDLE watchers should be topped up now: once an interval (a store query and a claim per mailbox). */
    private boolean idleTopUpDue() {
        Instant now = ticker.instant();
        if (!now.isBefore(lastIdleTopUp.plus(settings.interval()))) {
            lastIdleTopUp = now;
            return true;
        }
        return false;
    }

    /** One pass, holding {@code lease} (null: no leases) until it ends, then releasing it. */
    private MailboxResult pass(String address, Predicate<String> folders, HeldLease lease) {
        try (HeldLease held = lease;
                NodeLeases.Binding bound = lease == null ? () -> {} : leases.bind(lease)) {
            return passUnleased(address, folders);
        }
    }

    private MailboxResult passUnleased(String address, Predicate<String> folders) {
        if (awaitingUser(address)) {
            // No password to log in with yet: nothing is copied, nothing is listed, no listener is told.
            return new MailboxResult(
                    address,
                    MailboxStatus.Phase.AWAITING_USER,
                    "waiting for the user's self-service login (no legacy password yet)",
                    List.of());
        }
        MailboxAccount account = account(address);
        ReentrantLock lock = running.computeIfAbsent(account.address(), a -> new ReentrantLock());
        lock.lock();
        try {
            // A server that asked to slow down is left alone by every mailbox until its gate reopens.
            gates.await(ServerGates.key(settings.source()));
            gates.await(ServerGates.key(settings.target()));
            Instant began = clock.instant();
            MailboxResult r =
                    new MailboxSync(store, settings, clock, faults, false, folders, gates, sessions()).run(account);
            Instant now = clock.instant();
            // For the inventory's estimate (this appliance's own rate) and its "estimate vs actual".
            try {
                passes.passed(
                        account.address(),
                        ServerGates.key(settings.source()),
                        ServerGates.key(settings.target()),
                        began,
                        now,
                        r.copied(),
                        r.copiedBytes(),
                        r.phase().name());
            } catch (RuntimeException e) {
                LOG.warn("mailbox {}: pass not logged for the inventory's estimate: {}", address, e.toString());
            }
            if (rate.due(now)) {
                long[] totals = store.copiedTotals();
                rate.record(now, totals[0], totals[1]);
            }
            listener.accept(r);
            try {
                observer.passEnded(r, java.time.Duration.between(began, now));
            } catch (RuntimeException e) {
                LOG.warn("mailbox {}: the pass observer failed: {}", address, e.toString());
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new MailboxResult(
                    address, MailboxStatus.Phase.INCOMPLETE, "stopped while waiting for a throttled server", List.of());
        } finally {
            lock.unlock();
        }
    }

    /** IMAP sessions; with leases, each holds a connection slot of its server while open (cluster-wide caps). */
    private io.mxcutover.sync.engine.MailboxSessions sessions() {
        io.mxcutover.sync.engine.MailboxSessions imap = io.mxcutover.sync.engine.MailboxSessions.imap(settings);
        return leases == null
                ? imap
                : new SlottedSessions(
                        imap, leases, ServerGates.key(settings.source()), ServerGates.key(settings.target()));
    }

    private boolean awaitingUser(String address) {
        return store.mailbox(address)
                .map(m -> m.phase() == MailboxStatus.Phase.AWAITING_USER)
                .orElse(false);
    }

    /**
     * The one way this service reads a mailbox's credentials: refused, before the store is even asked, for a
     * mailbox its servers do not serve, so no scope or caller mistake can present them to another domain's
     * servers.
     */
    private MailboxAccount account(String address) {
        admit(address);
        MailboxAccount account = store.account(address, secrets)
                .orElseThrow(() -> new NoSuchElementException("mailbox " + address + " is not in the sync plan"));
        admit(account.address());
        return account;
    }

    private void admit(String address) {
        if (!settings.admits(address)) {
            LOG.error(
                    "mailbox {} is not of domain {}: its credentials are not presented to that domain's servers"
                            + " ({}, {}); this is a bug in the caller, please report it",
                    address,
                    settings.domain().orElse(""),
                    settings.source(),
                    settings.target());
            throw new ForeignMailboxException(address, settings.domain().orElse(""));
        }
    }

    /**
     * The inventory of this service's mailboxes that {@code scope} accepts, with its servers, folder rules and
     * parallelism; the estimate reads this store's passes. Nothing is copied (see {@link InventoryRun}).
     */
    public InventoryReport inventory(Predicate<String> scope, InventoryRun.Progress progress)
            throws InterruptedException {
        List<MailboxAccount> accounts = new ArrayList<>();
        for (MailboxStatus m : store.mailboxes()) {
            if (settings.admits(m.address())
                    && scope.test(m.address())
                    && m.phase() != MailboxStatus.Phase.AWAITING_USER) {
                accounts.add(account(m.address()));
            }
        }
        return new InventoryRun(InventorySettings.of(settings), clock, Optional.of(passes)).run(accounts, progress);
    }

    /** The throttling gates of the servers this service talks to (for reports and tests). */
    public ServerGates gates() {
        return gates;
    }

    /** The plan for a mailbox without changing anything (folders, mapping, counts to copy). */
    public MailboxResult dryRun(MailboxAccount account) {
        admit(account.address());
        return new MailboxSync(store, settings, clock, FaultInjector.NONE, true).run(account);
    }

    /** One pass over every mailbox, {@code parallelMailboxes} at a time; one failing mailbox never stops the others. */
    public List<MailboxResult> syncAll() {
        return syncAll(a -> true);
    }

    /**
     * One pass over the mailboxes whose address {@code scope} accepts (the appliance scopes by domain and
     * batch); {@code scope} is asked again as each mailbox's pass starts, and one it then refuses is left out.
     */
    public List<MailboxResult> syncAll(Predicate<String> scope) {
        if (leases != null) {
            return leasedRound(scope, java.time.Duration.ZERO, true);
        }
        List<Future<MailboxResult>> futures = new ArrayList<>();
        for (MailboxStatus m : store.mailboxes()) {
            if (!settings.admits(m.address())
                    || !scope.test(m.address())
                    || m.phase() == MailboxStatus.Phase.AWAITING_USER) {
                continue;
            }
            // Asked again when the pass really starts: a scope that changed meanwhile (a batch paused while
            // this mailbox waited for a free worker) stops passes that have not begun.
            futures.add(pool.submit(() -> scope.test(m.address()) ? syncOnce(m.address()) : null));
        }
        List<MailboxResult> results = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                MailboxResult r = futures.get(i).get();
                if (r != null) {
                    results.add(r);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                LOG.error("mailbox pass failed unexpectedly", e.getCause());
            }
        }
        return results;
    }

    /**
     * The mailboxes {@code scope} accepts, taken one lease at a time by {@code parallelMailboxes} workers, the
     * longest since its last pass first ({@link LeaseRules#order}). With {@code wait}, a mailbox another node holds
     * is waited for (its pass ends, or its lease expires); without, it is left to that node.
     */
    private List<MailboxResult> leasedRound(Predicate<String> scope, java.time.Duration rest, boolean wait) {
        java.util.Set<String> remaining = ConcurrentHashMap.newKeySet();
        for (MailboxStatus m : store.mailboxes()) {
            if (settings.admits(m.address())
                    && scope.test(m.address())
                    && m.phase() != MailboxStatus.Phase.AWAITING_USER) {
                remaining.add(m.address());
            }
        }
        List<MailboxResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(settings.parallelMailboxes(), remaining.size()); i++) {
            workers.add(pool.submit(() -> {
                leasedWorker(remaining, scope, rest, wait, results);
                return null;
            }));
        }
        for (Future<?> f : workers) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                LOG.error("mailbox pass failed unexpectedly", e.getCause());
            }
        }
        List<MailboxResult> out = new ArrayList<>(results);
        // Never a silently shorter list: a mailbox not passed because this node stopped is reported as such.
        for (String address : remaining) {
            out.add(new MailboxResult(
                    address,
                    MailboxStatus.Phase.INCOMPLETE,
                    "not passed: this node's sync is stopping or stopped",
                    List.of()));
        }
        out.sort(java.util.Comparator.comparing(MailboxResult::address));
        return out;
    }

    private void leasedWorker(
            java.util.Set<String> remaining,
            Predicate<String> scope,
            java.time.Duration rest,
            boolean wait,
            List<MailboxResult> results) {
        while (!remaining.isEmpty()
                && leases.active()
                && !Thread.currentThread().isInterrupted()) {
            Optional<HeldLease> lease = leases.claimNext(List.copyOf(remaining), rest);
            if (lease.isEmpty()) {
                if (!wait) {
                    return;
                }
                try {
                    sleeper.sleep(leases.pollStep());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the service stops
                    return;
                }
                continue;
            }
            String address = lease.get().mailbox();
            // Asked again when the pass really starts (a batch paused meanwhile); another worker may have passed it.
            if (!remaining.remove(address) || !scope.test(address)) {
                lease.get().close();
                continue;
            }
            results.add(pass(address, f -> true, lease.get()));
        }
    }

    /** Submits a pass for one mailbox on the pool (the API's "sync now"); returns at once. */
    public Future<MailboxResult> syncSoon(String address) {
        admit(address);
        return pool.submit(() -> syncOnce(address));
    }

    /**
     * Continuous mode: each mailbox gets a pass when {@link PollSchedule} says it is due (every {@code interval}
     * after a change, up to every {@code maxInterval} when quiet or when its INBOX is IDLEd; cheap when nothing
     * changed: STATUS per folder), plus IDLE on the INBOX of up to {@code maxIdleMailboxes} mailboxes for
     * near-immediate copies. Connections to the legacy server: at most {@code maxIdleMailboxes +
     * 2 x parallelMailboxes} (a pass holds up to two).
     */
    public synchronized void startContinuous() {
        startContinuous(a -> true);
    }

    /** Continuous mode for the mailboxes {@code scope} accepts (checked at every pass, so it may change). */
    public synchronized void startContinuous(Predicate<String> scope) {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sync-continuous");
            t.setDaemon(true);
            return t;
        });
        PollSchedule schedule = PollSchedule.of(settings);
        // How often the due mailboxes are looked for: every 250 ms, or the shortest wait when it is shorter.
        long tick = Math.max(10, Math.min(250, schedule.shortest().toMillis()));
        var unused = scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        // With leases: IDLE on INBOXes no node watches (a dead node's too), looked for once an
                        // interval.
                        if (leases != null && idleTopUpDue()) {
                            topUpIdle(scope);
                        }
                        checkDue(scope, schedule);
                    } catch (RuntimeException e) {
                        LOG.error("continuous sync: looking for due mailboxes failed; next look in {} ms", tick, e);
                    }
                },
                0,
                tick,
                TimeUnit.MILLISECONDS);
        if (settings.idle() && leases == null) {
            List<MailboxStatus> all = store.mailboxes().stream()
                    .filter(m -> settings.admits(m.address())
                            && scope.test(m.address())
                            && m.phase() != MailboxStatus.Phase.AWAITING_USER)
                    .toList();
            for (int i = 0; i < Math.min(all.size(), settings.maxIdleMailboxes()); i++) {
                IdleWatcher w = new IdleWatcher(all.get(i).address(), scope, null);
                watchers.add(w);
                idled.add(w.address);
                w.start();
            }
        }
        LOG.info(
                "continuous sync started: each mailbox checked every {} s after a change, up to every {} s when"
                        + " quiet; IDLE on {} INBOX(es)",
                schedule.shortest().toSeconds(),
                schedule.longest().toSeconds(),
                watchers.size());
    }

    /**
     * One look for due mailboxes: each one that is due and not already waiting for a worker or in a pass is
     * queued for a pass on the pool, the longest overdue first ({@link PollSchedule#dueFirst}).
     */
    private void checkDue(Predicate<String> scope, PollSchedule schedule) {
        Instant now = ticker.instant();
        List<MailboxStatus> all = lookedUp(schedule);
        if (all == null) {
            return;
        }
        Map<String, Instant> due = new java.util.HashMap<>();
        for (MailboxStatus m : all) {
            String address = m.address();
            // Every mailbox's last pass is taken from the store, also when no worker is free: with several nodes, a
            // node that first took it from the store minutes after another node's pass counted that pass as a change
            // and checked the mailbox again every interval (bench/scale, 3 nodes: 285 mailboxes whose checks went
            // back to every 5-7 s late in the run, 16.4 legacy logins per mailbox against 9.3 with one node).
            if (m.finishedAt().isPresent() && !checks.containsKey(address)) {
                // The store's time is the service's clock; one ahead of this machine's counts as now.
                Instant finished =
                        m.finishedAt().get().isAfter(now) ? now : m.finishedAt().get();
                checks.putIfAbsent(
                        address, PollSchedule.Checked.fromStore(finished, m.phase() != MailboxStatus.Phase.SYNCED));
            }
            if (!settings.admits(address)
                    || m.phase() == MailboxStatus.Phase.AWAITING_USER
                    || queued.contains(address)) {
                continue;
            }
            PollSchedule.Checked last = checks.get(address);
            boolean idle = idled.contains(address);
            if (schedule.due(last, idle, now)) {
                due.put(address, schedule.next(last, idle));
            }
        }
        // Each node breaks ties in an order of its own: nodes looking at once do not all try the same mailboxes.
        String node = leases == null ? "" : leases.settings().node();
        for (String address : PollSchedule.dueFirst(due, a -> LeaseRules.lookOrder(node, a))) {
            // At most twice the workers' number of scheduled passes waiting or running: the pass an IDLE arrival
            // wakes waits behind a few of them, not behind a sweep of every mailbox (a restart, the first check).
            if (queued.size() >= 2 * settings.parallelMailboxes()) {
                return;
            }
            if (!scope.test(address)) {
                continue;
            }
            queued.add(address);
            try {
                pool.execute(() -> {
                    try {
                        // Asked again when the pass really starts (a batch paused while it waited for a worker).
                        if (scope.test(address)) {
                            check(address);
                        }
                    } finally {
                        queued.remove(address);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.remove(address);
                return; // closing
            }
        }
    }

    private List<MailboxStatus> lastLook;
    private long lastLookNanos;

    /**
     * The mailboxes as the store has them, read at most once a second (or once per {@code shortest} when that is
     * shorter), and while the queue of passes is full at most every five of those (nothing could be queued; the
     * last passes are still taken from the store). Null: nothing to look at now. Read on every look (4 a second)
     * on every node, the list of 1,000 mailboxes was 12 reads a second of PostgreSQL and the nodes' CPU with three
     * nodes (bench/scale).
     */
    private List<MailboxStatus> lookedUp(PollSchedule schedule) {
        long every = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(
                Math.max(10, Math.min(1_000, schedule.shortest().toMillis())));
        long age = System.nanoTime() - lastLookNanos;
        boolean full = queued.size() >= 2 * settings.parallelMailboxes();
        if (lastLook != null && (age < every || (full && age < 5 * every))) {
            return full ? null : lastLook;
        }
        lastLook = store.mailboxes();
        lastLookNanos = System.nanoTime();
        return lastLook;
    }

    /** A scheduled pass of one mailbox; what it found decides when the next one is due. */
    private void check(String address) {
        boolean changed = true;
        boolean failed = true;
        boolean leftToOther = false;
        try {
            MailboxResult r = leases == null ? syncOnce(address) : checkPassIfFree(address);
            if (r == null) {
                leftToOther = true;
            } else {
                changed = changed(r);
                failed = failed(r);
            }
        } catch (RuntimeException e) {
            LOG.error("continuous sync: pass of mailbox {} failed unexpectedly", address, e);
        } finally {
            Instant end = ticker.instant();
            if (leftToOther) {
                // Another node holds it or just passed it: that pass counts as this check, at the time it ended.
                Optional<Instant> elsewhere = passedElsewhereAt(address);
                boolean idle = idled.contains(address);
                checks.compute(
                        address, (k, old) -> PollSchedule.of(settings).leftToAnotherNode(old, elsewhere, idle, end));
            } else {
                boolean c = changed;
                boolean f = failed;
                checks.compute(
                        address, (k, old) -> old == null ? PollSchedule.Checked.first(end, f) : old.checked(end, c, f));
            }
        }
    }

    /** When another node last passed the mailbox; empty when unknown (the store did not answer: counted as now). */
    private Optional<Instant> passedElsewhereAt(String address) {
        try {
            return leases.passedElsewhereAt(address);
        } catch (RuntimeException e) {
            LOG.warn(
                    "mailbox {}: when another node last passed it is unknown ({}); counted as now",
                    address,
                    e.toString());
            return Optional.empty();
        }
    }

    /** Whether a pass left something behind: a mailbox failure, a folder or messages not copied. */
    static boolean failed(MailboxResult r) {
        return r.phase() != MailboxStatus.Phase.SYNCED;
    }

    /** Whether a pass found something: a folder that was not skipped by its STATUS (or failed). */
    static boolean changed(MailboxResult r) {
        return r.copied() > 0 || r.folders().stream().anyMatch(f -> !f.unchanged());
    }

    /**
     * With leases, in continuous mode: IDLE on more INBOXes, up to {@code maxIdleMailboxes} on this node, taking
     * the IDLE lease of each (a mailbox no node IDLEs on yet, or one whose node died). Watchers that ended are
     * forgotten first.
     */
    private synchronized void topUpIdle(Predicate<String> scope) {
        if (!settings.idle() || scheduler == null) {
            return;
        }
        watchers.removeIf(w -> {
            if (!w.isAlive()) {
                idled.remove(w.address);
                return true;
            }
            return false;
        });
        java.util.Set<String> watched = new java.util.HashSet<>();
        watchers.forEach(w -> watched.add(w.address));
        for (MailboxStatus m : store.mailboxes()) {
            if (watchers.size() >= settings.maxIdleMailboxes()) {
                return;
            }
            if (watched.contains(m.address())
                    || !settings.admits(m.address())
                    || !scope.test(m.address())
                    || m.phase() == MailboxStatus.Phase.AWAITING_USER) {
                continue;
            }
            Optional<HeldLease> lease = leases.claimIdle(m.address());
            if (lease.isPresent()) {
                IdleWatcher w = new IdleWatcher(m.address(), scope, lease.get());
                watchers.add(w);
                idled.add(w.address);
                w.start();
            }
        }
    }

    public synchronized boolean continuous() {
        return scheduler != null;
    }

    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        watchers.forEach(IdleWatcher::halt);
        watchers.clear();
        idled.clear();
    }

    /** The report with its ETA: what is left from each mailbox's source inventory, at the rate measured here. */
    public SyncReport report() {
        Instant now = clock.instant();
        long[] totals = store.copiedTotals();
        rate.record(now, totals[0], totals[1]);
        List<MailboxReport> mailboxes = new ArrayList<>();
        Eta.Left left = Eta.Left.NONE;
        for (MailboxStatus m : store.mailboxes()) {
            MailboxReport r = mailboxReport(m);
            mailboxes.add(r);
            left = left.plus(Eta.left(store.inventory(m.address()), r.folders()));
        }
        return SyncReport.of(now, startedAt, mailboxes, left, rate.rate());
    }

    public Optional<MailboxReport> mailbox(String address) {
        return store.mailbox(address).map(this::mailboxReport);
    }

    private MailboxReport mailboxReport(MailboxStatus s) {
        return MailboxReport.of(
                s, store.progress(s.address()), store.failures(s.address()), store.inventory(s.address()));
    }

    public VerifyReport verify(String address) {
        return verify(address, false);
    }

    public VerifyReport verify(String address, boolean deep) {
        MailboxAccount account = account(address);
        return new Verifier(store, settings).verify(account, deep);
    }

    /**
     * Checks the new server against the mailbox's backup under {@code backupDir} (see
     * {@link io.mxcutover.sync.backup.BackupCheck}): what is missing there, what differs.
     */
    public io.mxcutover.sync.backup.BackupReport checkBackup(String address, java.nio.file.Path backupDir)
            throws ImapException, IOException {
        MailboxAccount account = account(address);
        // Opened like a source (EXAMINE, BODY.PEEK): the check must not mark anything \Seen on the new server.
        try (ImapSourceStore target = ImapSourceStore.open(settings.target(), account.target(), settings.imap())) {
            Map<String, String> plan = new java.util.HashMap<>();
            store.plannedFolders(account.address()).forEach(p -> plan.put(p.sourceFolder(), p.targetFolder()));
            return io.mxcutover.sync.backup.BackupCheck.check(
                    account.address(),
                    MailboxSync.backupRoot(backupDir, account.address()),
                    target,
                    settings.folderRulesFor(account.address()),
                    plan);
        }
    }

    /**
     * Stops the continuous mode and every pass, and waits (at most {@link #CLOSE_WAIT}) until none runs: a pass in
     * flight (an IDLE watcher's, a worker's) writes to the store until it ends, and the store may be closed or its
     * file removed right after this returns (CI run of 1e706ea: a watcher's pass recreated a test's SQLite file
     * after close).
     */
    @Override
    public void close() {
        List<IdleWatcher> watching;
        ScheduledExecutorService sched;
        synchronized (this) {
            watching = new ArrayList<>(watchers);
            sched = scheduler;
            stop();
        }
        pool.shutdownNow();
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            if (sched != null) {
                sched.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            for (Thread t : watching) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A pass holds its mailbox's lock from start to end: the locked ones are the passes still running.
        List<String> still = running.entrySet().stream()
                .filter(e -> e.getValue().isLocked())
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        if (!still.isEmpty()) {
            LOG.warn(
                    "sync: pass of {} still running {} s after the sync service was asked to stop; it ends on its own"
                            + " (what it copied is journaled, the next start resumes from there)",
                    String.join(", ", still),
                    CLOSE_WAIT.toSeconds());
        }
    }

    /** Holds one source connection in IDLE on INBOX; a change triggers an INBOX-only pass. */
    private final class IdleWatcher extends Thread {
        private final String address;
        private final Predicate<String> scope;
        /** With leases: this node's IDLE lease of the mailbox (the watcher ends when it is lost), else null. */
        private final HeldLease lease;

        private volatile boolean halted;
        private volatile ImapSourceStore session;

        IdleWatcher(String address, Predicate<String> scope, HeldLease lease) {
            super("sync-idle-" + address);
            this.address = address;
            this.scope = scope;
            this.lease = lease;
            setDaemon(true);
        }

        private boolean holding() {
            return !halted && (lease == null || !lease.lost());
        }

        @Override
        public void run() {
            try (HeldLease held = lease) {
                watch();
            }
        }

        private void watch() {
            Backoff backoff = new Backoff(java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(5));
            int failures = 0;
            // With leases a lost lease is noticed between two IDLEs: at most half a period later.
            long idleMillis = Math.min(PollSchedule.of(settings).longest().toMillis(), 25 * 60_000L);
            if (lease != null) {
                idleMillis = Math.min(idleMillis, leases.settings().period().toMillis() / 2);
            }
            while (holding()) {
                HeldSlot slot = null;
                try {
                    if (leases != null) {
                        // IDLE takes a slot only if one of its half is free now: copies keep the rest.
                        slot = leases.slot(
                                        ServerGates.key(settings.source()),
                                        LeaseRules.sessionSlots(
                                                leases.settings().maxLegacyConnections()),
                                        LeaseRules.SlotUse.IDLE,
                                        address + " idle",
                                        false)
                                .orElse(null);
                        if (slot == null) {
                            LOG.info(
                                    "mailbox {}: no IDLE connection slot free on {}; relying on the {} s poll",
                                    address,
                                    ServerGates.key(settings.source()),
                                    settings.interval().toSeconds());
                            return;
                        }
                    }
                    MailboxAccount account = account(address);
                    session = ImapSourceStore.open(settings.source(), account.source(), settings.imap());
                    if (!session.hasCapability("IDLE")) {
                        idled.remove(address); // polled on the adaptive schedule instead
                        LOG.info(
                                "mailbox {}: source server has no IDLE; relying on the {} s poll",
                                address,
                                settings.interval().toSeconds());
                        return;
                    }
                    session.select("INBOX");
                    failures = 0;
                    // The count acted on: a change is a count that differs from it after an IDLE, whenever the
                    // server reported it (during the IDLE, or in answer to the command that ended the last one).
                    FolderCheckpoint.SideStatus atSelect = session.selectedStatus();
                    long known = atSelect.messages();
                    if (PollSchedule.inboxMovedSinceLastPass(store.checkpoint(address, "INBOX"), atSelect)
                            && scope.test(address)) {
                        // Mail that arrived after the last pass read INBOX and before this SELECT: no IDLE tells.
                        LOG.debug(
                                "mailbox {}: INBOX changed before IDLE began ({}); passing it now", address, atSelect);
                        passInboxAfterArrival();
                    }
                    // A slot that lapsed (renewals stalled) ends this session; the next round takes a new one.
                    while (holding() && (slot == null || slot.usable())) {
                        // RFC 2177: re-issue IDLE before the server's 30 min timeout; no more often than the longest
                        // wait between two checks (a thousand watchers re-issuing IDLE every minute cost the
                        // legacy server more than the arrivals they watch for); with leases, a lost lease is
                        // noticed between two IDLEs.
                        int count = session.idle("INBOX", idleMillis);
                        if (count < 0) {
                            idled.remove(address); // no IDLE on this connection after all: polled instead
                            return;
                        }
                        if (count != known && holding() && scope.test(address)) {
                            known = count;
                            passInboxAfterArrival();
                        }
                    }
                } catch (ImapException | RuntimeException e) {
                    if (halted) {
                        return;
                    }
                    failures++;
                    LOG.warn("mailbox {}: IDLE on INBOX interrupted: {}", address, e.getMessage());
                    try {
                        sleeper.sleep(backoff.delay(failures, null));
                    } catch (InterruptedException ie) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    ImapSourceStore s = session;
                    if (s != null) {
                        s.close();
                    }
                    if (slot != null) {
                        slot.close();
                    }
                }
            }
        }

        /** An INBOX-only pass on the pool, as an arrival calls for. */
        private void passInboxAfterArrival() {
            pool.execute(() -> {
                try {
                    // Waits for the mailbox's lease when a pass holds it (that pass may have read INBOX before
                    // the arrival), then passes INBOX.
                    MailboxResult r = syncOnce(address, f -> f.equalsIgnoreCase("INBOX"));
                    Instant at = ticker.instant();
                    if (r != null) {
                        // A failed INBOX pass makes the next full check due after the shortest wait.
                        boolean c = changed(r);
                        boolean f = failed(r);
                        checks.computeIfPresent(address, (k, old) -> old.partial(at, c, f));
                    } else {
                        // Left to the pass running now, which may have read INBOX before the arrival: the next
                        // full check comes after the shortest wait, not the IDLEd mailbox's longest.
                        checks.computeIfPresent(address, (k, old) -> old.partial(at, true, true));
                    }
                } catch (RuntimeException e) {
                    LOG.warn(
                            "mailbox {}: INBOX pass after an IDLE arrival failed, the next pass retries: {}",
                            address,
                            e.toString());
                }
            });
        }

        void halt() {
            halted = true;
            ImapSourceStore s = session;
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    // Closed by the IDLE thread at the same moment (Angus: "not allowed on a closed folder").
                    LOG.debug("mailbox {}: IDLE session closed twice: {}", address, e.toString());
                }
            }
            interrupt();
        }
    }
}
