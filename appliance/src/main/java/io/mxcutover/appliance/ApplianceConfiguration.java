package io.mxcutover.appliance;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.mxcutover.appliance.auth.UserConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/**
 * The service YAML ({@code conf/mxcutover.yml}): where the plan and the state live, who may use the API,
 * and Dropwizard's own {@code server:} and {@code logging:} sections. Each part of the appliance has its own
 * section. Every field here is documented in {@code docs/reference/configuration.md}.
 */
public class ApplianceConfiguration extends Configuration {
    /** Path of the migration plan (domains, servers, window); reloaded when it changes. */
    @NotEmpty
    @JsonProperty
    public String plan = "conf/plan.yml";

    /** How often the plan file is checked for changes, in milliseconds. */
    @JsonProperty
    public long planCheckIntervalMillis = 1000;

    @Valid
    @NotNull
    @JsonProperty
    public StoreConfig store = new StoreConfig();

    /** API users; at least one admin is needed to cut over. */
    @Valid
    @NotEmpty
    @JsonProperty
    public List<UserConfig> users = new ArrayList<>();

    /** Failed logins per client address before it is locked out (API, console and admin port together). */
    @Valid
    @NotNull
    @JsonProperty
    public io.mxcutover.appliance.auth.LoginThrottleConfig loginThrottle =
            new io.mxcutover.appliance.auth.LoginThrottleConfig();

    /** The SMTP relay: listener, spool, delivery and retries. */
    @Valid
    @NotNull
    @JsonProperty
    public io.mxcutover.appliance.relay.RelayConfig relay = new io.mxcutover.appliance.relay.RelayConfig();

    /** The IMAP-to-IMAP sync: parallelism, interval, IDLE, master users, key for stored passwords. */
    @Valid
    @NotNull
    @JsonProperty
    public io.mxcutover.appliance.sync.SyncConfig sync = new io.mxcutover.appliance.sync.SyncConfig();

    /** The DNS watcher: resolvers and authoritative servers to ask, poll intervals. */
    @Valid
    @NotNull
    @JsonProperty
    public io.mxcutover.appliance.dns.DnsWatchConfig dns = new io.mxcutover.appliance.dns.DnsWatchConfig();

    /** The cutover: how often windows are checked, and the post-cutover probes. */
    @Valid
    @NotNull
    @JsonProperty
    public io.mxcutover.appliance.cutover.CutoverConfig cutover = new io.mxcutover.appliance.cutover.CutoverConfig();

    /** Batches: which mailboxes the cutover readiness judges. */
    @Valid
    @NotNull
    @JsonProperty
    public io.mxcutover.appliance.batch.BatchConfig batches = new io.mxcutover.appliance.batch.BatchConfig();

    /** Hooks: the admin's commands run on migration events. */
    @Valid
    @NotNull
    @JsonProperty
    public io.mxcutover.appliance.hook.HookConfig hooks = new io.mxcutover.appliance.hook.HookConfig();

    /** Webhooks told when something needs a human (docs/reference/configuration.md, "Alerts"). */
    @Valid
    @NotNull
    @JsonProperty
    public io.mxcutover.appliance.alert.AlertConfig alerts = new io.mxcutover.appliance.alert.AlertConfig();

    /** The self-service page {@code /migrate/} for mailboxes imported without a legacy password. */
    @Valid
    @NotNull
    @JsonProperty
    public io.mxcutover.appliance.selfservice.SelfServiceConfig selfService =
            new io.mxcutover.appliance.selfservice.SelfServiceConfig();

    /**
     * The appliance's state store: a SQLite file (default), or PostgreSQL shared by several nodes
     * (docs/reference/configuration.md, "Store"; docs/scale-out.md).
     */
    public static class StoreConfig {
        /**
         * The SQLite file (created with its directory when missing). With {@link #url} set, only its directory is
         * used: this node's local state (credential key, hook temp files).
         */
        @NotEmpty
        @JsonProperty
        public String path = "var/state/mxcutover.db";

        /** Empty: SQLite at {@link #path}. Else {@code jdbc:postgresql://HOST:PORT/DATABASE}. */
        @JsonProperty
        public String url = "";

        /** The database user (PostgreSQL). */
        @JsonProperty
        public String user = "";

        /** The database password (PostgreSQL); {@code ${env:VAR}} or {@link #passwordFile} keep it out of the YAML. */
        @JsonProperty
        public String password = "";

        /** A file whose first line is the database password (mode 0600), instead of {@link #password}. */
        @JsonProperty
        public String passwordFile = "";

        /** Connections the pool keeps at most (PostgreSQL). */
        @jakarta.validation.constraints.Min(1)
        @jakarta.validation.constraints.Max(200)
        @JsonProperty
        public int maxPoolSize = 10;

        /** How long a request waits for a database connection before it fails (PostgreSQL), in seconds. */
        @jakarta.validation.constraints.Min(1)
        @jakarta.validation.constraints.Max(300)
        @JsonProperty
        public int connectionTimeoutSeconds = 10;

        /** The settings {@link io.mxcutover.appliance.store.Store#open} takes; reads {@link #passwordFile}. */
        public io.mxcutover.appliance.store.StoreSettings settings() {
            String secret = password;
            if (!passwordFile.isBlank()) {
                try {
                    secret = java.nio.file.Files.readAllLines(java.nio.file.Path.of(passwordFile)).stream()
                            .findFirst()
                            .orElse("")
                            .strip();
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException(
                            "store.passwordFile " + passwordFile + " cannot be read: " + e.getMessage(), e);
                }
            }
            return new io.mxcutover.appliance.store.StoreSettings(
                    java.nio.file.Path.of(path),
                    java.util.Optional.of(url),
                    user,
                    secret,
                    maxPoolSize,
                    java.time.Duration.ofSeconds(connectionTimeoutSeconds));
        }
    }

    /** How the nodes sharing a store keep in step: heartbeats, phase refresh, the DNS watcher's leader lease. */
    @Valid
    @NotNull
    @JsonProperty
    public io.mxcutover.appliance.cluster.ClusterConfig cluster = new io.mxcutover.appliance.cluster.ClusterConfig();

    /** This node's identity among the nodes that share a PostgreSQL store (docs/scale-out.md). */
    @Valid
    @NotNull
    @JsonProperty
    public NodeConfig node = new NodeConfig();

    /** This node's identity. */
    public static class NodeConfig {
        /** Unique among the nodes of one store; empty: the host name. Letters, digits, '.', '-', '_'. */
        @jakarta.validation.constraints.Pattern(regexp = "[A-Za-z0-9._-]{0,63}")
        @JsonProperty
        public String id = "";

        /** How other nodes and operators reach this node's API (e.g. {@code http://10.0.0.5:8080}); informative. */
        @JsonProperty
        public String address = "";

        /** {@link #id}, or the host name when empty. */
        public String effectiveId() {
            if (!id.isBlank()) {
                return id;
            }
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                return "node-" + ProcessHandle.current().pid();
            }
        }
    }
}
