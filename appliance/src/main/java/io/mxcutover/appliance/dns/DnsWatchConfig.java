package io.mxcutover.appliance.dns;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.probe.PublicResolvers;
import io.mxcutover.dnscheck.watch.WatchSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dns:} section of the service YAML (documented in docs/reference/dnscheck.md).
 * Every field has a production default; the section may be omitted.
 */
public class DnsWatchConfig {

    /** false: no DNS watching (no polls, the REST resource answers 404 for every domain). */
    @JsonProperty
    public boolean enabled = true;

    /** Recursive resolvers to watch, {@code host[:port]}; empty = the public default list. */
    @JsonProperty
    public List<String> resolvers = new ArrayList<>();

    /** Authoritative servers to ask, {@code host[:port]}; empty = find them by NS lookup (split setups, tests). */
    @JsonProperty
    public List<String> authoritative = new ArrayList<>();

    /** Port of discovered authoritative servers. */
    @JsonProperty
    public int authoritativePort = 53;

    @JsonProperty
    public Duration pollInterval = Duration.minutes(5);

    /** While a domain is PUBLISHED or PROPAGATING. */
    @JsonProperty
    public Duration fastPollInterval = Duration.seconds(30);

    /** How often the watcher looks for due domains and plan changes. */
    @JsonProperty
    public Duration tick = Duration.seconds(5);

    @JsonProperty
    public Duration queryTimeout = Duration.seconds(3);

    /** How often each polled domain's DNSSEC and expected MX hosts (resolve, SMTP 220) are checked. */
    @JsonProperty
    public Duration checkInterval = Duration.minutes(15);

    /** SMTP port of the expected MX hosts for the MX-target check. */
    @JsonProperty
    public int preflightPort = 25;

    /**
     * DS or DNSKEY records (zone-file lines) trusted next to the root's for the DNSSEC check: a zone
     * whose chain does not start at the root (private TLD, DS not yet at the registrar).
     */
    @JsonProperty
    public List<String> trustAnchors = new ArrayList<>();

    List<NameServer> resolverServers() {
        if (resolvers.isEmpty()) {
            return PublicResolvers.DEFAULT;
        }
        return resolvers.stream()
                .map(r -> NameServer.of(NameServer.Role.RESOLVER, r))
                .toList();
    }

    List<NameServer> authoritativeServers() {
        return authoritative.stream()
                .map(a -> NameServer.of(NameServer.Role.AUTHORITATIVE, a))
                .toList();
    }

    /**
     * A latest poll older than this is no evidence (three normal poll intervals plus one tick and the
     * query timeout): the cutover then treats the domain's DNS as unknown.
     */
    java.time.Duration staleAfter() {
        return java.time.Duration.ofMillis(
                3 * pollInterval.toMilliseconds() + tick.toMilliseconds() + 2 * queryTimeout.toMilliseconds());
    }

    WatchSchedule schedule() {
        return new WatchSchedule(
                java.time.Duration.ofMillis(pollInterval.toMilliseconds()),
                java.time.Duration.ofMillis(fastPollInterval.toMilliseconds()));
    }
}
