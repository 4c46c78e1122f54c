package io.mxcutover.appliance;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.CachingAuthenticator;
import io.dropwizard.auth.basic.BasicCredentialAuthFilter;
import io.dropwizard.auth.basic.BasicCredentials;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.mxcutover.appliance.alert.AlertWatch;
import io.mxcutover.appliance.alert.Alerts;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.audit.AuditResource;
import io.mxcutover.appliance.auth.AdminAuthFilter;
import io.mxcutover.appliance.auth.AdminBinding;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.LoginThrottle;
import io.mxcutover.appliance.auth.LoginThrottleFilter;
import io.mxcutover.appliance.auth.PasswordAuthenticator;
import io.mxcutover.appliance.auth.RoleAuthorizer;
import io.mxcutover.appliance.batch.BatchResource;
import io.mxcutover.appliance.batch.Batches;
import io.mxcutover.appliance.cli.CheckCommand;
import io.mxcutover.appliance.cli.ConfigurationProblems;
import io.mxcutover.appliance.cli.DnsCheckCommand;
import io.mxcutover.appliance.cli.HashPasswordCommand;
import io.mxcutover.appliance.cli.SyncCommand;
import io.mxcutover.appliance.cluster.LeaderLease;
import io.mxcutover.appliance.cluster.NodeHeartbeat;
import io.mxcutover.appliance.cluster.NodeRegistry;
import io.mxcutover.appliance.cluster.NodesResource;
import io.mxcutover.appliance.console.Console;
import io.mxcutover.appliance.console.ConsoleSessions;
import io.mxcutover.appliance.cutover.CutoverRecords;
import io.mxcutover.appliance.cutover.CutoverResource;
import io.mxcutover.appliance.cutover.CutoverService;
import io.mxcutover.appliance.cutover.CutoverSources;
import io.mxcutover.appliance.cutover.CutoverTick;
import io.mxcutover.appliance.demo.DemoCommand;
import io.mxcutover.appliance.dns.DnsResource;
import io.mxcutover.appliance.dns.DnsWatch;
import io.mxcutover.appliance.hook.HookResource;
import io.mxcutover.appliance.hook.HookRuns;
import io.mxcutover.appliance.hook.Hooks;
import io.mxcutover.appliance.inventory.InventoryJobs;
import io.mxcutover.appliance.inventory.InventoryResource;
import io.mxcutover.appliance.metrics.CutoverMeters;
import io.mxcutover.appliance.metrics.DnsMeters;
import io.mxcutover.appliance.metrics.PrometheusEndpoint;
import io.mxcutover.appliance.metrics.RelayMeters;
import io.mxcutover.appliance.metrics.SyncMeters;
import io.mxcutover.appliance.openapi.OpenApiResource;
import io.mxcutover.appliance.plan.InvalidPlanException;
import io.mxcutover.appliance.plan.PlanHealthCheck;
import io.mxcutover.appliance.plan.PlanResource;
import io.mxcutover.appliance.plan.PlanWatcher;
import io.mxcutover.appliance.probe.GreetingProbe;
import io.mxcutover.appliance.probe.PostCutoverProbes;
import io.mxcutover.appliance.probe.ProbeResource;
import io.mxcutover.appliance.relay.NodeQueues;
import io.mxcutover.appliance.relay.QueuePublisher;
import io.mxcutover.appliance.relay.QueueResource;
import io.mxcutover.appliance.relay.RelayManaged;
import io.mxcutover.appliance.status.Listeners;
import io.mxcutover.appliance.status.StatusResource;
import io.mxcutover.appliance.status.WritableDirectoryHealthCheck;
import io.mxcutover.appliance.store.DomainPhases;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreHealthCheck;
import io.mxcutover.appliance.sync.MailboxResource;
import io.mxcutover.appliance.sync.SyncConfig;
import io.mxcutover.appliance.sync.SyncManaged;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;

/**
 * The appliance: builds every part by hand from the service YAML and the plan, and runs the long-lived
 * ones as Dropwizard {@link Managed} objects. Commands: {@code server}, {@code check}, {@code demo},
 * {@code hash-password} (and those the parts add).
 */
public class ApplianceApplication extends Application<ApplianceConfiguration> {
    /** sysexits.h EX_CONFIG: systemd's RestartPreventExitStatus keeps a misconfigured service from looping. */
    public static final int EXIT_CONFIG = 78;

    private final Clock clock;
    /**
     * The clock of what expires in real time whatever {@code clock} says: the leases shared with other nodes (sync
     * work, the DNS watcher's leadership) and the continuous sync's schedule. Always the system clock: a test that
     * froze {@code clock} froze the checks (a mailbox passed "just now" was never checked again), and one that moved
     * it by a minute let the DNS leader lease lapse and the DNS poll go stale.
     */
    private final Clock elapsed = Clock.systemUTC();

    public ApplianceApplication() {
        this(Clock.systemUTC());
    }

    /** Tests pass a controllable clock (the catch-up window is tested in milliseconds). */
    public ApplianceApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("imapsync")) {
            // imapsync's options are not argparse's (-ssl1, --opt=value, refusals with reasons): raw hand-over.
            // WARN and up, as Dropwizard's commands log: without it Logback's defaults printed Flyway's INFO
            // lines among imapsync's output on a first run.
            io.mxcutover.appliance.cli.OneShotLogging.setUp();
            io.mxcutover.appliance.store.SqliteNativeLibrary.useKeptCopy();
            System.exit(io.mxcutover.appliance.cli.ImapsyncCommand.handOver(
                    java.util.Arrays.asList(args).subList(1, args.length), System.getenv(), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("sync")) {
            // A plain `sync` line skips Dropwizard's start (see SyncCommand.direct); anything else goes to argparse.
            var direct = SyncCommand.direct(java.util.Arrays.asList(args).subList(1, args.length));
            if (direct.isPresent()) {
                io.mxcutover.appliance.cli.OneShotLogging.setUp(); // as Dropwizard's commands log: WARN and up
                io.mxcutover.appliance.store.SqliteNativeLibrary.useKeptCopy();
                System.exit(SyncCommand.run(direct.get(), System.out, System.err));
            }
        }
        new ApplianceApplication().run(args);
    }

    @Override
    public String getName() {
        return "mxcutover";
    }

    public static String version() {
        String v = ApplianceApplication.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Dropwizard's own {@code check} only parses the YAML; ours also validates the plan. */
    @Override
    protected void addDefaultCommands(Bootstrap<ApplianceConfiguration> bootstrap) {
        bootstrap.addCommand(new io.dropwizard.core.cli.ServerCommand<>(this));
    }

    @Override
    public void initialize(Bootstrap<ApplianceConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
        bootstrap.addCommand(new CheckCommand());
        bootstrap.addCommand(new HashPasswordCommand());
        bootstrap.addCommand(new DemoCommand());
        bootstrap.addCommand(new DnsCheckCommand());
        bootstrap.addCommand(new SyncCommand());
        bootstrap.addCommand(new io.mxcutover.appliance.cli.InventoryCommand());
        bootstrap.addCommand(new io.mxcutover.appliance.cli.ImapsyncCommand());
        bootstrap.addCommand(new io.mxcutover.appliance.cli.StoreCommand());
    }

    @Override
    public void run(ApplianceConfiguration config, Environment environment) throws Exception {
        if (!config.cutover.problems().isEmpty()) {
            config.cutover.problems().forEach(p -> System.err.println("cutover: " + p));
            throw new ConfigurationProblems(config.cutover.problems().size());
        }
        if (!config.hooks.problems().isEmpty()) {
            config.hooks.problems().forEach(p -> System.err.println("hooks: " + p));
            throw new ConfigurationProblems(config.hooks.problems().size());
        }
        if (!config.alerts.problems().isEmpty()) {
            config.alerts.problems().forEach(p -> System.err.println("alerts: " + p));
            throw new ConfigurationProblems(config.alerts.problems().size());
        }
        PlanWatcher plan = PlanWatcher.open(Path.of(config.plan), java.util.Set.of(config.relay.hostname));
        Store store = Store.open(config.store.settings());
        DomainPhases phases = new DomainPhases(store, clock);
        AuditLog audit = new AuditLog(store, clock);
        Listeners listeners = new Listeners();

        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                plan.start(config.planCheckIntervalMillis);
            }

            @Override
            public void stop() {
                plan.close();
            }
        });

        environment.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        ConsoleSessions consoleSessions = new ConsoleSessions(clock);
        // Before the logins: a locked-out address is answered 429 without a password check (appliance.auth).
        LoginThrottle loginThrottle = new LoginThrottle(config.loginThrottle.rule(), clock);
        environment
                .servlets()
                .addFilter("login-throttle", new LoginThrottleFilter(loginThrottle, "api"))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        var authenticator = registerAuth(config, environment, consoleSessions);
        protectAdminPort(config, environment, authenticator);
        // After protectAdminPort: a mapping added with isMatchAfter=false goes before those added earlier, so
        // the throttle sees the admin port's 401s (it would not run at all after a refusal otherwise).
        environment
                .admin()
                .addFilter("login-throttle", new LoginThrottleFilter(loginThrottle, "admin"))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        Console.register(environment, consoleSessions, authenticator);
        environment.jersey().setUrlPattern("/api/*");
        // The nodes sharing the store (one on SQLite): registry, heartbeat, the DNS watcher's leader lease.
        String nodeId = config.node.effectiveId();
        NodeRegistry nodes = new NodeRegistry(store, clock, config.cluster.heartbeat());
        environment
                .lifecycle()
                .manage(new NodeHeartbeat(
                        nodes, nodeId, config.node.address, version(), clock, config.cluster.heartbeat()));
        // The lease expires in real time, on this machine's clock: on the appliance's clock (which a test moves by
        // minutes) every move let it lapse, and the DNS watcher skipped its polls until the next renewal.
        LeaderLease dnsLease = new LeaderLease(store, "dns-watch", nodeId, elapsed, config.cluster.leaderLease());
        environment.jersey().register(new NodesResource(nodes));
        environment
                .jersey()
                .register(new StatusResource(version(), clock, plan, phases, listeners, nodeId, nodes::nodes));
        environment.jersey().register(new PlanResource(plan, audit));

        environment.healthChecks().register("store", new StoreHealthCheck(store));
        environment.jersey().register(new io.mxcutover.appliance.store.StoreExceptionMapper());
        environment.healthChecks().register("plan", new PlanHealthCheck(plan));
        environment
                .healthChecks()
                .register(
                        "state-directory",
                        new WritableDirectoryHealthCheck(
                                "state",
                                Path.of(config.store.path).toAbsolutePath().getParent()));

        // The parts, each a Managed: DNS watcher, cutover, relay, sync, post-cutover probes. The cutover
        // learns facts from the others through small sources, and tells the relay about phase changes.
        DnsWatch dnsWatch = new DnsWatch(config.dns, plan::current, store.dataSource(), clock).leadWhen(dnsLease::held);
        // The lease before the watcher: its first round finds the lease taken (or not) already.
        environment.lifecycle().manage(dnsLease);
        environment.lifecycle().manage(dnsWatch);
        environment.jersey().register(new DnsResource(dnsWatch));

        CutoverService cutover = new CutoverService(
                        plan::current,
                        phases,
                        audit,
                        new CutoverRecords(store),
                        new CutoverSources(
                                new GreetingProbe(Duration.ofSeconds(3), Duration.ofSeconds(5), config.relay.hostname)),
                        clock)
                .verificationMaxAge(config.cutover.verificationMaxAge.toJavaDuration())
                .cluster(nodeId, nodes::alive);
        environment.lifecycle().manage(new CutoverTick(cutover, config.cutover.tickInterval.toJavaDuration()));
        cutover.sources().dns(dnsWatch);

        RelayManaged relay = new RelayManaged(config.relay, plan, phases, listeners, clock, environment.metrics())
                .followPhases(config.cluster.phaseRefresh());
        environment.lifecycle().manage(relay);
        cutover.onPhaseChange(relay);
        cutover.sources().relayQueue(relay);
        // Each node's spool is its own; on a shared PostgreSQL store every node's queue is listed (docs/scale-out.md).
        java.util.Optional<NodeQueues> nodeQueues =
                store.engine() == io.mxcutover.appliance.store.StoreSettings.Engine.POSTGRESQL
                        ? java.util.Optional.of(new NodeQueues(store, clock))
                        : java.util.Optional.empty();
        environment.jersey().register(new QueueResource(relay::queue, audit, config.node.effectiveId(), nodeQueues));
        nodeQueues.ifPresent(q -> environment
                .lifecycle()
                .manage(new QueuePublisher(
                        q,
                        config.node.effectiveId(),
                        relay::queue,
                        config.relay.queuePublishInterval.toJavaDuration())));
        environment
                .healthChecks()
                .register("spool-directory", new WritableDirectoryHealthCheck("spool", Path.of(config.relay.spool)));

        SyncManaged sync = new SyncManaged(
                syncConfig(config),
                plan::current,
                store.dataSource(),
                phases::phase,
                clock,
                config.node.effectiveId(),
                elapsed);
        environment.lifecycle().manage(sync);
        cutover.sources().mailboxes(sync);
        environment.jersey().register(new MailboxResource(sync, audit));
        environment.jersey().register(new io.mxcutover.appliance.sync.VerifyResource(sync, audit));
        InventoryJobs inventories = new InventoryJobs(sync, store.dataSource(), environment.getObjectMapper(), clock);
        environment.lifecycle().manage(inventories);
        environment.jersey().register(new InventoryResource(inventories, sync, audit));
        cutover.copyTimings(inventories::copyTiming);

        // Hooks run after the fact on their own threads; batches decide which mailboxes the sync copies and
        // the readiness judges, so they are installed on the sync before it starts.
        HookRuns hookRuns = new HookRuns(store.dataSource(), clock);
        Hooks hooks = new Hooks(
                config.hooks,
                audit,
                hookRuns,
                clock,
                Path.of(config.store.path).toAbsolutePath().getParent().resolve("hook-tmp"));
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {}

            @Override
            public void stop() {
                hooks.close();
            }
        });
        cutover.onPhaseChange(hooks);
        Batches batches = new Batches(store.dataSource(), sync, hooks, hookRuns, audit, config.batches, clock);
        environment.lifecycle().manage(batches);
        environment.jersey().register(new BatchResource(batches));
        io.mxcutover.appliance.selfservice.SelfService selfService = new io.mxcutover.appliance.selfservice.SelfService(
                config.selfService,
                sync,
                hooks,
                audit,
                new io.mxcutover.appliance.selfservice.SelfServiceSessions(clock),
                clock);
        environment
                .jersey()
                .register(new io.mxcutover.appliance.selfservice.SelfServiceResource(
                        selfService, config.selfService.enabled));
        environment.jersey().register(new io.mxcutover.appliance.sync.DomainMailboxesResource(sync));
        environment.jersey().register(new HookResource(hookRuns));

        // Alerts hear of events where the hooks do (their events, the phase changes); a watch reads the domain
        // views for what has no event of its own (readiness, DNS, queue age, window, bounces).
        Alerts alerts = new Alerts(
                config.alerts, audit, clock, io.mxcutover.sync.time.Sleeper.SYSTEM, environment.getObjectMapper());
        hooks.onFire(alerts::hookFired);
        cutover.onPhaseChange(alerts);
        environment
                .lifecycle()
                .manage(new AlertWatch(
                        AlertWatch.of(
                                cutover,
                                () -> environment
                                        .metrics()
                                        .counter("relay.bounced")
                                        .getCount(),
                                clock),
                        alerts,
                        config.alerts));
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {}

            @Override
            public void stop() {
                alerts.close();
            }
        });

        PostCutoverProbes probes =
                new PostCutoverProbes(config.cutover, listeners, config.relay.hostname, audit, clock);
        cutover.postCutoverProbes(probes);
        probes.credentials(sync);

        registerMetrics(environment, plan, relay, sync, dnsWatch, cutover);

        environment.jersey().register(new CutoverResource(cutover, environment.getObjectMapper()));
        environment.jersey().register(new ProbeResource(cutover, probes));
        environment.jersey().register(new AuditResource(audit));
        environment.jersey().register(new OpenApiResource());
    }

    /**
     * {@code GET /metrics} on the admin port in the Prometheus text format (appliance.metrics); it replaces
     * Dropwizard's JSON at that path. Each part's meters are bound here, before the parts start.
     */
    private void registerMetrics(
            Environment environment,
            PlanWatcher plan,
            RelayManaged relay,
            SyncManaged sync,
            DnsWatch dns,
            CutoverService cutover) {
        PrometheusEndpoint prometheus = new PrometheusEndpoint();
        relay.observeLatency(RelayMeters.bind(environment.metrics(), prometheus.registry()));
        SyncMeters syncMeters =
                new SyncMeters(prometheus.registry(), sync, () -> plan.current().domainNames(), clock);
        sync.observePasses(syncMeters);
        prometheus.beforeScrape(syncMeters::refresh);
        DnsMeters dnsMeters =
                new DnsMeters(prometheus.registry(), dns, () -> plan.current().domainNames(), clock);
        prometheus.beforeScrape(dnsMeters::refresh);
        CutoverMeters cutoverMeters = new CutoverMeters(prometheus.registry(), cutover, clock);
        prometheus.beforeScrape(cutoverMeters::refresh);
        environment.admin().addServlet("prometheus", prometheus.servlet()).addMapping("/metrics");
    }

    /** The sync section, with its key file and temp directory defaulting to the store's directory. */
    private static SyncConfig syncConfig(ApplianceConfiguration config) {
        SyncConfig sync = config.sync;
        Path stateDir = Path.of(config.store.path).toAbsolutePath().getParent();
        if (sync.keyFile == null || sync.keyFile.isBlank())
            sync.keyFile = stateDir.resolve("sync.key").toString();
        if (sync.tempDir == null || sync.tempDir.isBlank())
            sync.tempDir = stateDir.resolve("sync-tmp").toString();
        return sync;
    }

    /**
     * The admin port (health checks, metrics, tasks) behind the API's users, and on loopback unless the YAML
     * names a bind host. The server is built after {@code run()}, so the bind host set here is the one used.
     */
    private static void protectAdminPort(
            ApplianceConfiguration config,
            Environment environment,
            CachingAuthenticator<BasicCredentials, ApiUser> authenticator) {
        AdminBinding.loopbackByDefault(config.getServerFactory());
        AdminBinding.exposed(config.getServerFactory())
                .forEach(a -> org.slf4j.LoggerFactory.getLogger(ApplianceApplication.class)
                        .warn(
                                "admin port listens on {} (beyond loopback); it needs credentials"
                                        + " (operator reads, admin tasks), but consider bindHost: 127.0.0.1",
                                a));
        environment
                .admin()
                .addFilter("api-users", new AdminAuthFilter(authenticator))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }

    private CachingAuthenticator<BasicCredentials, ApiUser> registerAuth(
            ApplianceConfiguration config, Environment environment, ConsoleSessions consoleSessions) {
        var authenticator = new CachingAuthenticator<BasicCredentials, ApiUser>(
                environment.metrics(),
                new PasswordAuthenticator(config.users),
                com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                        .maximumSize(1000)
                        .expireAfterWrite(Duration.ofMinutes(10)));
        // HTTP Basic, then the console's session cookie (appliance.console): same users, same roles.
        environment
                .jersey()
                .register(Console.authFeature(
                        new BasicCredentialAuthFilter.Builder<ApiUser>()
                                .setAuthenticator(authenticator)
                                .setAuthorizer(new RoleAuthorizer())
                                .setRealm("mxcutover")
                                .buildAuthFilter(),
                        consoleSessions));
        environment.jersey().register(RolesAllowedDynamicFeature.class);
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(ApiUser.class));
        return authenticator;
    }

    @Override
    protected void onFatalError(Throwable t) {
        boolean configuration = t instanceof ConfigurationException
                || t instanceof InvalidPlanException
                || t instanceof ConfigurationProblems
                || t instanceof io.dropwizard.configuration.UndefinedEnvironmentVariableException;
        System.exit(configuration ? EXIT_CONFIG : 1);
    }
}
