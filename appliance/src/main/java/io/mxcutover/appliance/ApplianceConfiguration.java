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

    /** The appliance's state store. */
    public static class StoreConfig {
        /** The SQLite file (created with its directory when missing). */
        @NotEmpty
        @JsonProperty
        public String path = "var/state/mxcutover.db";
    }
}
