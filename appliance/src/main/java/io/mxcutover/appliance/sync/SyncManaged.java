package io.mxcutover.appliance.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.Managed;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.FinalPass;
import io.mxcutover.appliance.facts.CredentialSource;
import io.mxcutover.appliance.facts.MailboxLogin;
import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.facts.MailboxProgressSource;
import io.mxcutover.appliance.facts.SyncSummary;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.credential.OAuthLogins;
import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.Inventory;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.lease.LeaseSettings;
import io.mxcutover.sync.lease.NodeLeases;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.mailbox.MailboxCsv;
import io.mxcutover.sync.report.Eta;
import io.mxcutover.sync.report.MailboxReport;
import io.mxcutover.sync.report.RateMeter;
import io.mxcutover.sync.report.SyncReport;
import io.mxcutover.sync.run.Backoff;
import io.mxcutover.sync.run.SyncService;
import io.mxcutover.sync.run.SyncSettings;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.state.SyncStore;
import io.mxcutover.sync.throttle.ServerGates;
import io.mxcutover.sync.time.Sleeper;
import io.mxcutover.sync.verify.VerifyReport;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync inside the appliance: one {@link SyncService} per planned domain that has IMAP on
 * both sides (the servers come from the plan), each scoped to the domain's mailboxes and run
 * continuously while the domain is not COMPLETED. Also the cutover's
 * {@link MailboxProgressSource}: history copied per mailbox, totals, the final pass at cutover,
 * stop when the window closes. And the post-cutover probes' {@link CredentialSource}: the new-server
 * passwords imported with the mailbox list, opened from the store only for the probe that asks.
 */
public final class SyncManaged implements Managed, MailboxProgressSource, CredentialSource {
    private static final Logger LOG = LoggerFactory.getLogger(SyncManaged.class);

    private final SyncConfig config;
    private final Supplier<MigrationPlan> plan;
    private final DataSource dataSource;
    private final Function<String, CutoverPhase> phaseOf;
    private final Clock elapsed;
    private final Clock clock;
    /** The OAuth2 clients of the legacy (true) and new (false) side, made at first use. */
    private final Map<Boolean, OAuthLogins> oauthLogins = new java.util.concurrent.ConcurrentHashMap<>();

    private final SyncStore store;
    private final SecretBox secrets;
    private final Map<String, SyncService> services = new ConcurrentHashMap<>();
    /**
     * Held while a domain's service is made or the services are closed: the inventory thread and {@link #start()}
     * ask for the same domain's service at once, and a second service made for it would run a continuous sync
     * that nothing stops.
     */
    private final Object servicesLock = new Object();

    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastNewOnLegacy = new ConcurrentHashMap<>();
    private final VerificationRecords verifications;
    private final ObjectMapper json = Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Map<String, DomainRun> verifyRuns = new ConcurrentHashMap<>();
    private final ExecutorService verifiers;
    private final RateMeter rate = new RateMeter();
    private final Instant startedAt;
    private volatile ScheduledExecutorService rateReader;
    private volatile Thread inventory;
    /** How often the journal's totals are read for the copy rate while the sync runs. */
    static final Duration RATE_READING = Duration.ofSeconds(15);

    private final ServerGates gates;
    /** This node's leases and connection slots, shared by every domain's service (released when it stops). */
    private final NodeLeases leases;

    private final io.mxcutover.sync.batch.BatchStore batches;
    /** Which mailboxes are copied (the batches say; every one without them), asked as each pass starts. */
    private volatile java.util.function.Predicate<String> copies = a -> true;
    /** Which mailboxes the readiness check judges (the batches' readiness scope; every one without them). */
    private volatile java.util.function.Predicate<String> judged = a -> true;

    private final List<java.util.function.Consumer<MailboxResult>> passListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile io.mxcutover.sync.run.PassObserver passObserver = io.mxcutover.sync.run.PassObserver.NONE;

    public SyncManaged(
            SyncConfig config,
            Supplier<MigrationPlan> plan,
            DataSource dataSource,
            Function<String, CutoverPhase> phaseOf,
            Clock clock)
            throws IOException {
        this(config, plan, dataSource, phaseOf, clock, "local");
    }

    /**
     * {@code node}: this node's id ({@code node.id}): the mailboxes it copies are leased under it, so the nodes
     * sharing one store copy each mailbox on one node at a time and keep under the per-server connection caps.
     */
    public SyncManaged(
            SyncConfig config,
            Supplier<MigrationPlan> plan,
            DataSource dataSource,
            Function<String, CutoverPhase> phaseOf,
            Clock clock,
            String node)
            throws IOException {
        this(config, plan, dataSource, phaseOf, clock, node, clock);
    }

    /**
     * {@code elapsed}: the clock the leases (shared with other nodes, expiring in real time) and the continuous
     * schedule run on; the system clock in production, as {@code clock} is. A test that freezes or moves {@code
     * clock} keeps {@code elapsed} real: on a frozen clock a mailbox passed "just now" was never checked again.
     */
    public SyncManaged(
            SyncConfig config,
            Supplier<MigrationPlan> plan,
            DataSource dataSource,
            Function<String, CutoverPhase> phaseOf,
            Clock clock,
            String node,
            Clock elapsed)
            throws IOException {
        this.config = config;
        this.elapsed = elapsed;
        this.plan = plan;
        this.dataSource = dataSource;
        this.phaseOf = phaseOf;
        this.clock = clock;
        this.store = new SyncStore(dataSource, clock);
        this.batches = new io.mxcutover.sync.batch.BatchStore(dataSource, clock);
        this.secrets = CredentialKey.open(Path.of(config.keyFile), dataSource, clock);
        this.gates = new ServerGates(clock, throttling());
        this.leases = new NodeLeases(
                dataSource,
                new LeaseSettings(
                        node,
                        Duration.ofSeconds(config.leaseSeconds),
                        config.maxConnectionsPerLegacyServer,
                        config.maxConnectionsPerNewServer),
                elapsed,
                Sleeper.SYSTEM);
        this.verifications = new VerificationRecords(dataSource, json);
        this.startedAt = clock.instant();
        this.verifiers = Executors.newFixedThreadPool(config.parallelMailboxes, r -> {
            Thread t = new Thread(r, "verify-mailbox");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public synchronized void start() {
        if (!config.enabled) {
            LOG.info("sync disabled (sync.enabled: false): mailboxes are imported but not copied");
            return;
        }
        rateReader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sync-rate");
            t.setDaemon(true);
            return t;
        });
        var unused = rateReader.scheduleWithFixedDelay(
                () -> {
                    try {
                        readCopiedTotals(clock.instant());
                    } catch (RuntimeException e) {
                        LOG.warn("reading the copy totals for the ETA failed: {}", e.toString());
                    }
                },
                0,
                RATE_READING.toMillis(),
                TimeUnit.MILLISECONDS);
        // What is left in mailboxes the copy has not reached yet, for the ETA: one LIST + STATUS each, in turn.
        // On its own thread: listing a thousand mailboxes takes minutes, and must not hold up the rate readings.
        inventory = new Thread(() -> plan.get().domains().forEach(d -> inventoryPending(d.name())), "sync-inventory");
        inventory.setDaemon(true);
        inventory.start();
        for (DomainPlan d : plan.get().domains()) {
            // Scoped to the domain's own mailboxes: its servers must never see another domain's logins.
            String domain = d.name().toLowerCase(Locale.ROOT);
            service(domain)
                    .ifPresent(s -> s.startContinuous(
                            address -> domainOf(address).equals(domain) && active(domain) && copies.test(address)));
        }
    }

    @Override
    public synchronized void stop() {
        verifiers.shutdownNow();
        if (rateReader != null) {
            rateReader.shutdownNow();
        }
        if (inventory != null) {
            inventory.interrupt();
        }
        synchronized (servicesLock) {
            services.values().forEach(SyncService::close);
            services.clear();
        }
        leases.close();
    }

    private boolean active(String domain) {
        return !stopped.contains(domain) && phaseOf.apply(domain) != CutoverPhase.COMPLETED;
    }

    /** The service of a planned domain with IMAP on both sides; empty otherwise. */
    public Optional<SyncService> service(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        SyncService existing = services.get(key);
        if (existing != null) {
            return Optional.of(existing);
        }
        synchronized (servicesLock) {
            return createService(key);
        }
    }

    private Optional<SyncService> createService(String key) {
        SyncService existing = services.get(key);
        if (existing != null) {
            return Optional.of(existing);
        }
        Optional<DomainPlan> d = plan.get().domain(key);
        if (d.isEmpty()
                || d.get().legacy().imap().isEmpty()
                || d.get().target().imap().isEmpty()) {
            return Optional.empty();
        }
        List<String> master = masterUserProblems(config, plan.get());
        if (!master.isEmpty()) {
            LOG.error("domain {}: not synced: {}", key, String.join("; ", master));
            return Optional.empty();
        }
        ImapEndpoint legacy;
        ImapEndpoint fresh;
        try {
            legacy = oauth(
                    endpoint(d.get().legacy().imap().get(), config.legacyMasterUser, config.legacyMasterPassword),
                    true);
            fresh = oauth(
                    endpoint(d.get().target().imap().get(), config.newMasterUser, config.newMasterPassword), false);
        } catch (IllegalArgumentException e) {
            LOG.error("domain {}: not synced: {}", key, e.getMessage());
            return Optional.empty();
        }
        ImapSettings defaults = ImapSettings.defaults();
        SyncSettings settings = SyncSettings.of(legacy, fresh)
                .withParallelMailboxes(config.parallelMailboxes)
                .withInterval(Duration.ofSeconds(config.intervalSeconds), config.idle)
                .withContinuous(Duration.ofSeconds(config.maxIntervalSeconds), config.maxIdleMailboxes)
                .withImap(new ImapSettings(
                        defaults.connectTimeout(),
                        defaults.ioTimeout(),
                        defaults.batchMessages(),
                        defaults.batchBytes(),
                        defaults.largeMessageBytes(),
                        defaults.chunkBytes(),
                        defaults.metadataChunk(),
                        true,
                        Path.of(config.tempDir)))
                .withThrottling(throttling())
                .withBackupDir(
                        config.backupDir == null || config.backupDir.isBlank() ? null : Path.of(config.backupDir))
                .withDomain(key)
                .withFolderRules(d.get().folders())
                .withMailboxFolderRules(d.get().mailboxFolders().keySet().stream()
                        .collect(java.util.stream.Collectors.toMap(
                                a -> a, a -> d.get().folderRulesOf(a))));
        // One gate per server for every domain: domains hosted on the same legacy server back off together.
        SyncService created = new SyncService(
                dataSource, secrets, settings, clock, FaultInjector.NONE, gates, Sleeper.SYSTEM, leases, elapsed);
        created.observePasses((r, took) -> passObserver.passEnded(r, took));
        created.onMailboxSynced(r -> {
            if (r.copied() > 0) {
                lastNewOnLegacy.put(key, clock.instant());
            }
            for (var l : passListeners) {
                try {
                    l.accept(r);
                } catch (RuntimeException e) {
                    LOG.warn("mailbox {}: a listener of its pass failed: {}", r.address(), e.toString());
                }
            }
        });
        services.put(key, created);
        return Optional.of(created);
    }

    /**
     * A master user is one set of credentials for "the" legacy (or new) server: with a plan whose domains have
     * IMAP on several servers of that side, its password would be presented to every one of them. Empty when
     * no master user is set or every domain shares one server on that side.
     */
    public static List<String> masterUserProblems(SyncConfig config, MigrationPlan plan) {
        List<String> problems = new ArrayList<>();
        for (boolean legacySide : List.of(true, false)) {
            String user = legacySide ? config.legacyMasterUser : config.newMasterUser;
            SyncOAuth2Config oauth = legacySide ? config.legacyOAuth2 : config.newOAuth2;
            if ((user == null || user.isBlank()) && oauth == null) {
                continue;
            }
            Set<String> servers = new java.util.TreeSet<>();
            for (DomainPlan d : plan.domains()) {
                (legacySide ? d.legacy() : d.target()).imap().ifPresent(e -> servers.add(e.host() + ":" + e.port()));
            }
            if (servers.size() > 1) {
                String key = user == null || user.isBlank()
                        ? (legacySide ? "sync.legacyOAuth2" : "sync.newOAuth2")
                        : (legacySide ? "sync.legacyMasterUser" : "sync.newMasterUser");
                problems.add(key + " is set, but the plan's domains have " + servers.size() + " different "
                        + (legacySide ? "legacy" : "new") + " IMAP servers " + servers
                        + ", so its password or token would be"
                        + " sent to each of them; remove " + key + " and import each mailbox's own password, or run"
                        + " one appliance per " + (legacySide ? "legacy" : "new") + " server");
            }
        }
        return problems;
    }

    private Backoff throttling() {
        return new Backoff(
                Duration.ofSeconds(config.throttleBackoffSeconds),
                Duration.ofSeconds(Math.max(600, config.throttleBackoffSeconds)));
    }

    /**
     * {@code endpoint} with the side's OAuth2 client, when one is configured: one {@link OAuthLogins} per side, so
     * the application's token is shared by every domain's mailboxes on that server.
     */
    private ImapEndpoint oauth(ImapEndpoint endpoint, boolean legacySide) {
        SyncOAuth2Config section = legacySide ? config.legacyOAuth2 : config.newOAuth2;
        if (section == null) {
            return endpoint;
        }
        OAuthLogins logins = oauthLogins.computeIfAbsent(
                legacySide,
                side -> section.logins(legacySide ? "sync.legacyOAuth2" : "sync.newOAuth2", System::getenv, clock));
        return endpoint.withOAuth(logins);
    }

    private ImapEndpoint endpoint(io.mxcutover.appliance.plan.PlanImapUrl e, String masterUser, String masterPassword) {
        ImapEndpoint sync = ImapEndpoint.of((e.implicitTls() ? "imaps://" : "imap://") + e.host() + ":" + e.port()
                + (config.trustAnyCertificate ? "?trust=any" : ""));
        return masterUser == null || masterUser.isBlank() ? sync : sync.withMaster(masterUser, masterPassword);
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Takes the source inventory of every mailbox of the domain that no pass has listed yet (so the ETA knows
     * what is left there); a mailbox whose server does not answer stays "not listed". Returns how many were listed.
     */
    public int inventoryPending(String domain) {
        Optional<SyncService> s = service(domain);
        if (s.isEmpty()) {
            return 0;
        }
        int listed = 0;
        for (MailboxStatus m : mailboxesOf(domain)) {
            if (Thread.currentThread().isInterrupted()) {
                break; // the appliance stops
            }
            if (!store.inventory(m.address()).isEmpty() || m.phase() == MailboxStatus.Phase.AWAITING_USER) {
                continue;
            }
            try {
                Optional<MailboxAccount> account = store.account(m.address(), secrets);
                if (account.isPresent()) {
                    long messages = Inventory.take(store, s.get().settings(), account.get());
                    LOG.debug("mailbox {}: listed for the ETA, {} message(s) on legacy", m.address(), messages);
                    listed++;
                }
            } catch (ImapException | RuntimeException e) {
                LOG.info(
                        "mailbox {}: not listed for the ETA yet ({}); its first sync pass will",
                        m.address(),
                        e.getMessage());
            }
        }
        return listed;
    }

    // ---- API operations ------------------------------------------------------------------

    /**
     * Imports a mailbox list, all or nothing: a list with any problem (an address without a domain, or of a
     * domain the plan does not migrate, ...) raises {@link io.mxcutover.sync.mailbox.InvalidMailboxList} with
     * every problem and stores nothing.
     */
    public List<String> importCsv(Reader csv) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buf = new char[8192];
        for (int n; (n = csv.read(buf)) > 0; ) {
            text.append(buf, 0, n);
        }
        var accounts = MailboxCsv.parseFor(
                new java.io.StringReader(text.toString()), plan.get().domainNames());
        Optional<Map<String, String>> batchOf = io.mxcutover.sync.batch.BatchColumn.read(text.toString());
        // The batches first: a crash between the two must not leave a mailbox of a batch not yet started
        // looking like one in no batch, which would be copied at once.
        batchOf.ifPresent(b -> batches.assign(b, "mailbox list import"));
        store.saveMailboxes(accounts, secrets, this::awaitsUser);
        return accounts.stream().map(a -> a.address()).toList();
    }

    /** No legacy password and no legacy master user: the mailbox waits for its user's self-service login. */
    private boolean awaitsUser(MailboxAccount a) {
        return a.source().kind() == Login.Kind.PASSWORD
                && a.source().secret().isEmpty()
                && (config.legacyMasterUser == null || config.legacyMasterUser.isBlank());
    }

    /** What the mailbox's legacy folders held when a pass last listed them (empty before). */
    public List<io.mxcutover.sync.state.FolderInventory> inventory(String address) {
        return store.inventory(address.toLowerCase(Locale.ROOT));
    }

    /** The domain's mailboxes (state row each, no credentials), and when each was imported. */
    public List<MailboxStatus> mailboxStatuses(String domain) {
        return mailboxesOf(domain);
    }

    public Map<String, Instant> importedAt() {
        return store.importedAt();
    }

    /** The domain's mailboxes waiting for their users' self-service login, oldest import first. */
    public List<SyncStore.AwaitingUser> awaitingUser(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return store.awaitingUser().stream()
                .filter(w -> domainOf(w.address()).equals(d))
                .toList();
    }

    /** What a LOGIN on the legacy server with a user's password said. */
    public enum LegacyLogin {
        /** The server accepted the login. */
        ACCEPTED,
        /** The server refused it (wrong password). */
        REFUSED,
        /** The address is not a mailbox of a planned domain with IMAP on both sides: no server was asked. */
        UNKNOWN_MAILBOX,
        /** The server could not be asked (connection, timeout, throttled). */
        UNREACHABLE
    }

    /**
     * Checks {@code password} with a real LOGIN as the mailbox's legacy user on its own domain's legacy server (never
     * through a master user, never another domain's server); nothing is stored. The session is closed at once.
     */
    public LegacyLogin checkLegacyLogin(String address, io.mxcutover.sync.credential.Secret password) {
        String a = address.strip().toLowerCase(Locale.ROOT);
        String domain = domainOf(a);
        Optional<DomainPlan> d = plan.get().domain(domain);
        if (d.isEmpty() || service(domain).isEmpty() || d.get().legacy().imap().isEmpty()) {
            return LegacyLogin.UNKNOWN_MAILBOX;
        }
        Optional<MailboxAccount> account;
        try {
            account = store.account(a, secrets);
        } catch (RuntimeException e) {
            LOG.warn(
                    "mailbox {}: its stored login cannot be read ({})",
                    a,
                    e.getClass().getSimpleName());
            return LegacyLogin.UNREACHABLE;
        }
        if (account.isEmpty() || password.isEmpty()) {
            return account.isEmpty() ? LegacyLogin.UNKNOWN_MAILBOX : LegacyLogin.REFUSED;
        }
        ImapEndpoint legacy = endpoint(d.get().legacy().imap().get(), null, null);
        Login login = new Login(account.get().source().user(), password, Login.Kind.PASSWORD);
        try (var session = io.mxcutover.sync.imap.ImapSourceStore.open(
                legacy, login, service(domain).get().settings().imap())) {
            return LegacyLogin.ACCEPTED;
        } catch (ImapException e) {
            return e.kind() == ImapException.Kind.AUTHENTICATION ? LegacyLogin.REFUSED : LegacyLogin.UNREACHABLE;
        }
    }

    /**
     * Seals the password a user gave (checked by {@link #checkLegacyLogin}) and, with {@code target}, the new
     * server's (a set-password hook set it there); a mailbox that waited becomes PENDING and its copy starts now
     * (unless its batch is not started: then with its batch). False when the mailbox is not in the store.
     */
    public boolean userGavePassword(
            String address,
            io.mxcutover.sync.credential.Secret password,
            Optional<io.mxcutover.sync.credential.Secret> target) {
        String a = address.strip().toLowerCase(Locale.ROOT);
        if (!store.userLoggedIn(a, password, target, secrets)) {
            return false;
        }
        if (config.enabled && copies.test(a)) {
            service(domainOf(a)).ifPresent(s -> {
                var unused = s.syncSoon(a);
            });
        }
        return true;
    }

    /** Only the mailboxes {@code copies} accepts are synced (checked as each pass starts); the batches set it. */
    public void copyOnly(java.util.function.Predicate<String> copies) {
        this.copies = copies;
    }

    /** Only the mailboxes {@code judged} accepts count for the readiness check ({@link #progress}). */
    public void judgeOnly(java.util.function.Predicate<String> judged) {
        this.judged = judged;
    }

    /** Told after every mailbox pass with its duration (the metrics); one observer, set before {@link #start()}. */
    public void observePasses(io.mxcutover.sync.run.PassObserver observer) {
        this.passObserver = observer;
    }

    /** Every mailbox of every domain with its state (the metrics count them per domain). */
    public List<MailboxStatus> mailboxStatuses() {
        return store.mailboxes();
    }

    /** Whether the domain's mailboxes are being copied now (continuous mode: not stopped, not COMPLETED). */
    public boolean syncing(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return config.enabled && services.containsKey(d) && active(d);
    }

    /** The throttling gates shared by every domain's sync (one per server). */
    public ServerGates gates() {
        return gates;
    }

    /** Told after every mailbox pass (any sync thread); keep it short, a throw is logged. */
    public void onMailboxPass(java.util.function.Consumer<MailboxResult> listener) {
        passListeners.add(listener);
    }

    /**
     * Every mailbox with its progress, and the ETA: what is left from each mailbox's source inventory at the
     * copy rate measured over the last minutes (journal totals read every {@link #RATE_READING} while running,
     * and at each report).
     */
    public SyncReport report() {
        Instant now = clock.instant();
        readCopiedTotals(now);
        List<MailboxReport> all = new ArrayList<>();
        Eta.Left left = Eta.Left.NONE;
        for (MailboxStatus s : store.mailboxes()) {
            var inventory = store.inventory(s.address());
            MailboxReport r = MailboxReport.of(s, store.progress(s.address()), store.failures(s.address()), inventory);
            all.add(r);
            left = left.plus(Eta.left(inventory, r.folders()));
        }
        return SyncReport.of(now, startedAt, all, left, rate.rate());
    }

    private void readCopiedTotals(Instant now) {
        if (rate.due(now)) {
            long[] totals = store.copiedTotals();
            rate.record(now, totals[0], totals[1]);
        }
    }

    public Optional<MailboxReport> mailbox(String address) {
        return store.mailbox(address.toLowerCase(Locale.ROOT))
                .map(s -> MailboxReport.of(
                        s, store.progress(s.address()), store.failures(s.address()), store.inventory(s.address())));
    }

    /**
     * Starts a pass now; empty when the mailbox's domain has no IMAP servers in the plan.
     *
     * @throws IllegalStateException when the mailbox's batch is not copied (not started, or paused)
     */
    public Optional<Future<MailboxResult>> syncNow(String address) {
        if (!copies.test(address.toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("mailbox " + address + " is in a batch that is not started or is paused;"
                    + " start or resume its batch (POST /api/v1/domains/{domain}/batches/{batch}/start)");
        }
        return service(domainOf(address)).map(s -> s.syncSoon(address.toLowerCase(Locale.ROOT)));
    }

    /** Verifies one mailbox now and stores the result; empty when its domain has no IMAP servers in the plan. */
    public Optional<VerifyReport> verify(String address, String requestedBy) {
        String a = address.toLowerCase(Locale.ROOT);
        Optional<SyncService> s = service(domainOf(a));
        if (s.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(verifyAndStore(s.get(), a, requestedBy));
    }

    /**
     * Verifies one mailbox and stores what came out, also when it did not complete: a verifier that failed is
     * stored as {@code UNREACHABLE} with its words, so the gate shows why rather than an old green result.
     */
    private VerifyReport verifyAndStore(SyncService s, String address, String requestedBy) {
        Instant takenAt = clock.instant();
        VerifyReport r;
        try {
            r = s.verify(address);
        } catch (RuntimeException e) {
            LOG.warn("mailbox {}: verification failed: {}", address, e.toString());
            r = new VerifyReport(
                    address,
                    VerifyReport.Verdict.UNREACHABLE,
                    "verification failed: " + e.getMessage() + "; verify again, and see the log of the appliance",
                    List.of());
        }
        verifications.save(StoredVerification.of(
                r, domainOf(address), takenAt, clock.instant(), requestedBy, json.valueToTree(r)));
        return r;
    }

    /** The stored verification of one mailbox, with the verifier's detail. */
    public Optional<StoredVerification> storedVerification(String address) {
        return verifications.of(address.toLowerCase(Locale.ROOT));
    }

    /** The stored verifications of a domain's mailboxes (counts, no detail). */
    public List<StoredVerification> storedVerifications(String domain) {
        return verifications.ofDomain(domain.toLowerCase(Locale.ROOT)).stream()
                .map(StoredVerification::withoutDetail)
                .toList();
    }

    /**
     * Starts verifying every mailbox of the domain in the background ({@code parallelMailboxes} at a time), each
     * result stored as soon as it is known. A run already going for the domain is returned instead of a second
     * one. Empty when the domain has no IMAP servers on both sides in the plan.
     */
    public Optional<VerifyJob> verifyDomain(String domain, String requestedBy) {
        String d = domain.toLowerCase(Locale.ROOT);
        Optional<SyncService> s = service(d);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        synchronized (verifyRuns) {
            DomainRun current = verifyRuns.get(d);
            if (current != null && current.view().running()) {
                return Optional.of(current.view());
            }
            List<String> mailboxes =
                    mailboxesOf(d).stream().map(MailboxStatus::address).toList();
            DomainRun run = new DomainRun(d, requestedBy, clock.instant(), mailboxes.size());
            verifyRuns.put(d, run);
            LOG.info("domain {}: verification of {} mailbox(es) started by {}", d, mailboxes.size(), requestedBy);
            if (mailboxes.isEmpty()) {
                run.finish(clock.instant());
            }
            for (String address : mailboxes) {
                verifiers.execute(() -> {
                    boolean clean = false;
                    try {
                        clean = verifyAndStore(s.get(), address, requestedBy).verdict() == VerifyReport.Verdict.READY;
                    } catch (RuntimeException e) {
                        LOG.warn("mailbox {}: verification result not stored: {}", address, e.toString());
                    } finally {
                        if (run.mailboxDone(clean)) {
                            run.finish(clock.instant());
                            LOG.info(
                                    "domain {}: verification done: {} of {} mailbox(es) READY",
                                    d,
                                    run.view().mailboxesClean(),
                                    run.view().mailboxesTotal());
                        }
                    }
                });
            }
            return Optional.of(run.view());
        }
    }

    /** The newest domain-wide verification started since this appliance started; empty when none. */
    public Optional<VerifyJob> verifyJob(String domain) {
        return Optional.ofNullable(verifyRuns.get(domain.toLowerCase(Locale.ROOT)))
                .map(DomainRun::view);
    }

    /** Whether the domain is in the plan in force. */
    public boolean planned(String domain) {
        return plan.get().domain(domain.toLowerCase(Locale.ROOT)).isPresent();
    }

    /** Progress of one domain-wide verification; counters updated from the verifier threads. */
    private static final class DomainRun {
        private final String domain;
        private final String requestedBy;
        private final Instant startedAt;
        private final int total;
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger clean = new AtomicInteger();
        private volatile Instant finishedAt;

        DomainRun(String domain, String requestedBy, Instant startedAt, int total) {
            this.domain = domain;
            this.requestedBy = requestedBy;
            this.startedAt = startedAt;
            this.total = total;
        }

        /** True for the mailbox that completes the run. */
        boolean mailboxDone(boolean ready) {
            if (ready) {
                clean.incrementAndGet();
            }
            return done.incrementAndGet() == total;
        }

        void finish(Instant at) {
            finishedAt = at;
        }

        VerifyJob view() {
            Instant f = finishedAt;
            return new VerifyJob(
                    domain,
                    f == null ? VerifyJob.RUNNING : VerifyJob.DONE,
                    requestedBy,
                    startedAt,
                    Optional.ofNullable(f),
                    total,
                    done.get(),
                    clean.get());
        }
    }

    // ---- CredentialSource ------------------------------------------------------------------

    /**
     * The domain's mailboxes with a new-server password in the imported list, unsealed in memory for the
     * probe's one LOGIN each. Left out: OAuth2 tokens (the probe logs in with a password) and empty passwords
     * (the new side is reached through the master user, so the mailbox's own password is not known).
     */
    @Override
    public List<MailboxLogin> newServerLogins(String domain) {
        List<MailboxLogin> out = new ArrayList<>();
        for (MailboxStatus m : mailboxesOf(domain)) {
            Optional<MailboxAccount> account;
            try {
                account = store.account(m.address(), secrets);
            } catch (RuntimeException e) {
                // A key that changed since the import cannot open the sealed password; the message names no secret.
                LOG.warn(
                        "mailbox {}: the new-server password cannot be unsealed with the current sync key ({});"
                                + " re-import the mailbox list to include it in the credential check",
                        m.address(),
                        e.getClass().getSimpleName());
                continue;
            }
            account.map(MailboxAccount::target)
                    .filter(t -> t.kind() == Login.Kind.PASSWORD && !t.secret().isEmpty())
                    .ifPresent(t -> out.add(
                            new MailboxLogin(m.address(), t.user(), t.secret().reveal())));
        }
        return out;
    }

    // ---- MailboxProgressSource ------------------------------------------------------------

    private List<MailboxStatus> mailboxesOf(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return store.mailboxes().stream()
                .filter(m -> domainOf(m.address()).equals(d))
                .toList();
    }

    @Override
    public List<MailboxProgress> progress(String domain) {
        List<MailboxProgress> out = new ArrayList<>();
        Map<String, StoredVerification> stored = new java.util.HashMap<>();
        verifications.ofDomain(domain.toLowerCase(Locale.ROOT)).forEach(v -> stored.put(v.mailbox(), v));
        for (MailboxStatus m : mailboxesOf(domain)) {
            if (!judged.test(m.address())) {
                continue;
            }
            boolean history = m.phase() == MailboxStatus.Phase.SYNCED;
            out.add(new MailboxProgress(
                    m.address(),
                    history,
                    Optional.ofNullable(stored.get(m.address())).map(StoredVerification::fact),
                    m.phase() == MailboxStatus.Phase.AWAITING_USER));
        }
        return out;
    }

    @Override
    public SyncSummary summary(String domain) {
        List<MailboxStatus> mailboxes = mailboxesOf(domain);
        long copied = 0;
        List<String> errors = new ArrayList<>();
        for (MailboxStatus m : mailboxes) {
            copied += store.progress(m.address()).stream()
                    .mapToLong(p -> p.done())
                    .sum();
            if (m.phase() == MailboxStatus.Phase.FAILED || m.phase() == MailboxStatus.Phase.INCOMPLETE) {
                errors.add(m.address() + ": " + m.reason().orElse(m.phase().name()));
            }
        }
        return new SyncSummary(
                true,
                mailboxes.size(),
                copied,
                Optional.ofNullable(lastNewOnLegacy.get(domain.toLowerCase(Locale.ROOT))),
                errors);
    }

    @Override
    public List<FinalPass> finalPass(String domain) {
        return passOver(domain, copies);
    }

    /**
     * One pass now over the domain's mailboxes that {@code mailboxes} accepts (and that are copied), and per
     * mailbox how many messages it copied: the cutover's final pass, and a batch's. Blocks until done.
     */
    public List<FinalPass> passOver(String domain, java.util.function.Predicate<String> mailboxes) {
        Optional<SyncService> s = service(domain);
        if (s.isEmpty()) {
            return List.of();
        }
        String d = domain.toLowerCase(Locale.ROOT);
        List<FinalPass> out = new ArrayList<>();
        for (MailboxResult r : s.get().syncAll(a -> domainOf(a).equals(d) && mailboxes.test(a) && copies.test(a))) {
            if (r.copied() > 0) {
                lastNewOnLegacy.put(d, clock.instant());
            }
            out.add(
                    r.phase() == MailboxStatus.Phase.SYNCED
                            ? FinalPass.copied(r.address(), r.copied())
                            : FinalPass.failed(
                                    r.address(),
                                    r.copied(),
                                    r.reason() == null ? r.phase().name() : r.reason()));
        }
        return out;
    }

    @Override
    public void stopSyncing(String domain) {
        stopped.add(domain.toLowerCase(Locale.ROOT));
        LOG.info("domain {}: catch-up window closed, sync from legacy stopped", domain);
    }

    @Override
    public String toString() {
        return "sync (" + services.size() + " domain(s))";
    }
}
