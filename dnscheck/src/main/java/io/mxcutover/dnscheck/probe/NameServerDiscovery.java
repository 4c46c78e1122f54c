package io.mxcutover.dnscheck.probe;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.ServerReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Type;

/**
 * Finds the authoritative servers of the zone holding a domain: NS through a recursive
 * resolver (walking up to the parent when the domain is not a zone apex), then A and AAAA
 * of every NS name. The result lists one {@link NameServer} per address, labelled
 * {@code ns-name/address}, so a secondary that lags behind on one address shows up.
 */
public final class NameServerDiscovery {

    /** Why discovery found no server, in a mail admin's words. */
    public static final class DiscoveryException extends Exception {
        public DiscoveryException(String message) {
            super(message);
        }
    }

    private final DnsProbe probe;

    public NameServerDiscovery(DnsProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /** {@code port}: where the servers listen (53 in production; tests run NSD elsewhere). */
    public List<NameServer> discover(String domain, NameServer resolver, int port) throws DiscoveryException {
        String zone = domain;
        List<String> nsNames = List.of();
        // Bounded by the number of labels: example.com -> com -> stop before the root.
        while (zone.contains(".")) {
            ServerReply reply = probe.ask(resolver, zone, Type.NS).join();
            LookupOutcome outcome = reply.outcome();
            if (outcome instanceof LookupOutcome.NoError ne) {
                nsNames = ne.answers();
                break;
            }
            if (outcome instanceof LookupOutcome.NxDomain) {
                throw new DiscoveryException(domain + " does not exist (NXDOMAIN from " + resolver.label()
                        + "); check the spelling or the registration");
            }
            if (!(outcome instanceof LookupOutcome.NoData)) {
                throw new DiscoveryException("cannot find the name servers of " + domain + ": " + resolver.label()
                        + " answered " + outcome.code() + " for NS " + zone);
            }
            zone = zone.substring(zone.indexOf('.') + 1);
        }
        if (nsNames.isEmpty()) {
            throw new DiscoveryException("no NS records found for " + domain + " or its parents");
        }
        List<CompletableFuture<List<NameServer>>> lookups = new ArrayList<>();
        for (String ns : nsNames) {
            CompletableFuture<ServerReply> a = probe.ask(resolver, ns, Type.A);
            CompletableFuture<ServerReply> aaaa = probe.ask(resolver, ns, Type.AAAA);
            lookups.add(a.thenCombine(aaaa, (r4, r6) -> servers(ns, port, r4, r6)));
        }
        List<NameServer> servers = new ArrayList<>();
        for (CompletableFuture<List<NameServer>> lookup : lookups) {
            servers.addAll(lookup.join());
        }
        if (servers.isEmpty()) {
            throw new DiscoveryException(
                    "the name servers of " + domain + " (" + String.join(", ", nsNames) + ") have no A or AAAA record");
        }
        return servers;
    }

    /**
     * The addresses of one NS name. When an address lookup failed (SERVFAIL, timeout, ...) and gave no
     * address, the NS is still returned, by name: it is asked like the others (the probe resolves the name
     * itself) and, when it cannot be reached either, its observation is a failure, so that a poll never
     * reads "every authoritative server shows the new MX" with one of them never asked. A name without
     * any address record (NODATA/NXDOMAIN on both) can serve no one and is left out.
     */
    static List<NameServer> servers(String nsName, int port, ServerReply... replies) {
        List<NameServer> result = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (ServerReply reply : replies) {
            if (reply.outcome() instanceof LookupOutcome.NoError ne) {
                for (String address : ne.answers()) {
                    result.add(new NameServer(nsName + "/" + address, NameServer.Role.AUTHORITATIVE, address, port));
                }
            } else if (!reply.outcome().answered()) {
                failed.add(reply.outcome().code());
            }
        }
        if (result.isEmpty() && !failed.isEmpty()) {
            result.add(new NameServer(
                    nsName + " (address lookup " + String.join("/", failed) + ")",
                    NameServer.Role.AUTHORITATIVE,
                    nsName,
                    port));
        }
        return result;
    }
}
