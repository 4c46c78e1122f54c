package io.mxcutover.appliance;

import io.dropwizard.auth.AuthDynamicFeature;
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
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.PasswordAuthenticator;
import io.mxcutover.appliance.auth.RoleAuthorizer;
import io.mxcutover.appliance.cli.CheckCommand;
import io.mxcutover.appliance.cli.ConfigurationProblems;
import io.mxcutover.appliance.cli.HashPasswordCommand;
import io.mxcutover.appliance.demo.DemoCommand;
import io.mxcutover.appliance.plan.InvalidPlanException;
import io.mxcutover.appliance.plan.PlanHealthCheck;
import io.mxcutover.appliance.plan.PlanResource;
import io.mxcutover.appliance.plan.PlanWatcher;
import io.mxcutover.appliance.status.Listeners;
import io.mxcutover.appliance.status.StatusResource;
import io.mxcutover.appliance.status.WritableDirectoryHealthCheck;
import io.mxcutover.appliance.store.AuditLog;
import io.mxcutover.appliance.store.DomainPhases;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.appliance.store.StoreHealthCheck;
import java.nio.file.Path;
import java.time.Clock;
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

    public ApplianceApplication() {
        this(Clock.systemUTC());
    }

    /** Tests pass a controllable clock (the catch-up window is tested in milliseconds). */
    public ApplianceApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
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
        bootstrap.addCommand(new io.mxcutover.appliance.dns.DnsCheckCommand());
        bootstrap.addCommand(new io.mxcutover.appliance.mailbox.SyncCommand());
    }

    @Override
    public void run(ApplianceConfiguration config, Environment environment) throws Exception {
        PlanWatcher plan = PlanWatcher.open(Path.of(config.plan));
        Store store = Store.open(Path.of(config.store.path));
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

        environment.getObjectMapper().disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        registerAuth(config, environment);
        environment.jersey().setUrlPattern("/api/*");
        environment.jersey().register(new StatusResource(version(), clock, plan, phases, listeners));
        environment.jersey().register(new PlanResource(plan, audit));

        environment.healthChecks().register("store", new StoreHealthCheck(store));
        environment.healthChecks().register("plan", new PlanHealthCheck(plan));
        environment.healthChecks().register("state-directory",
                new WritableDirectoryHealthCheck("state", Path.of(config.store.path).toAbsolutePath().getParent()));

        // Parts of the appliance (relay, sync, DNS watcher, cutover) are wired below.
        var dnsWatch = new io.mxcutover.appliance.dns.DnsWatch(config.dns, plan::current, store.dataSource(), clock);
        environment.lifecycle().manage(dnsWatch);
        environment.jersey().register(new io.mxcutover.appliance.dns.DnsResource(dnsWatch));
        // Cutover: parts install their facts with cutover.sources().mailboxes(..)/.relayQueue(..)/.dns(..), and
        // hear phase changes with cutover.onPhaseChange(..); until then "unknown" stand-ins answer.
        var cutover = new io.mxcutover.appliance.cutover.CutoverService(plan::current, phases, audit,
                new io.mxcutover.appliance.cutover.CutoverRecords(store), new io.mxcutover.appliance.cutover.CutoverSources(
                        new io.mxcutover.appliance.cutover.GreetingProbe(java.time.Duration.ofSeconds(3),
                                java.time.Duration.ofSeconds(5))), clock);
        environment.lifecycle().manage(new io.mxcutover.appliance.cutover.CutoverTick(cutover,
                config.cutover.tickInterval.toJavaDuration()));
        cutover.sources().dns(dnsWatch);
        var relay = new io.mxcutover.appliance.queue.RelayManaged(config.relay, plan, phases, listeners, clock,
                environment.metrics());
        environment.lifecycle().manage(relay);
        cutover.onPhaseChange(relay);
        cutover.sources().relayQueue(relay);
        environment.jersey().register(new io.mxcutover.appliance.queue.QueueResource(relay::queue, audit));
        environment.healthChecks().register("spool-directory",
                new WritableDirectoryHealthCheck("spool", Path.of(config.relay.spool)));
        // Sync: mailboxes copied legacy -> new per planned domain; feeds the cutover's readiness checks.
        var syncConfig = config.sync;
        if (syncConfig.keyFile == null || syncConfig.keyFile.isBlank()) {
            syncConfig.keyFile = Path.of(config.store.path).toAbsolutePath().resolveSibling("sync.key").toString();
        }
        if (syncConfig.tempDir == null || syncConfig.tempDir.isBlank()) {
            syncConfig.tempDir = Path.of(config.store.path).toAbsolutePath().resolveSibling("sync-tmp").toString();
        }
        var sync = new io.mxcutover.appliance.mailbox.SyncManaged(syncConfig, plan::current, store.dataSource(), phases::phase, clock);
        environment.lifecycle().manage(sync);
        cutover.sources().mailboxes(sync);
        environment.jersey().register(new io.mxcutover.appliance.mailbox.MailboxResource(sync, audit));
        environment.jersey().register(new io.mxcutover.appliance.cutover.CutoverResource(cutover, environment.getObjectMapper()));
        // Post-cutover probes (send/receive through the relay, new-server logins); the sync installs its
        // known passwords with postCutoverProbes.credentials(..).
        if (!config.cutover.problems().isEmpty()) {
            config.cutover.problems().forEach(p -> System.err.println("cutover: " + p));
            throw new ConfigurationProblems(config.cutover.problems().size());
        }
        var postCutoverProbes = new io.mxcutover.appliance.cutover.PostCutoverProbes(config.cutover, listeners,
                config.relay.hostname, audit, clock);
        cutover.postCutoverProbes(postCutoverProbes);
        postCutoverProbes.credentials(sync);
        environment.jersey().register(new io.mxcutover.appliance.cutover.ProbeResource(cutover, postCutoverProbes));
        environment.jersey().register(new io.mxcutover.appliance.audit.AuditResource(audit));
        environment.jersey().register(new io.mxcutover.appliance.openapi.OpenApiResource());
    }

    private void registerAuth(ApplianceConfiguration config, Environment environment) {
        var authenticator = new CachingAuthenticator<BasicCredentials, ApiUser>(environment.metrics(),
                new PasswordAuthenticator(config.users),
                com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                        .maximumSize(1000).expireAfterWrite(java.time.Duration.ofMinutes(10)));
        environment.jersey().register(new AuthDynamicFeature(new BasicCredentialAuthFilter.Builder<ApiUser>()
                .setAuthenticator(authenticator)
                .setAuthorizer(new RoleAuthorizer())
                .setRealm("mxcutover")
                .buildAuthFilter()));
        environment.jersey().register(RolesAllowedDynamicFeature.class);
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(ApiUser.class));
    }

    @Override
    protected void onFatalError(Throwable t) {
        boolean configuration = t instanceof ConfigurationException || t instanceof InvalidPlanException
                || t instanceof ConfigurationProblems
                || t instanceof io.dropwizard.configuration.UndefinedEnvironmentVariableException;
        System.exit(configuration ? EXIT_CONFIG : 1);
    }
}
