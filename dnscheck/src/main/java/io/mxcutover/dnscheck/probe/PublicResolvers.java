package io.mxcutover.dnscheck.probe;

import io.mxcutover.dnscheck.poll.NameServer;
import java.util.List;

/**
 * The production default resolver list: well-known public resolvers of four operators, two
 * addresses each (documented in docs/reference/dnscheck.md). They are what big senders and
 * propagation checkers look at; private ISP resolvers and senders' own caches are invisible
 * to any checker, which is why the expected end is computed from TTLs, not only observed.
 */
public final class PublicResolvers {

    public static final List<NameServer> DEFAULT = List.of(
            resolver("Google 8.8.8.8", "8.8.8.8"),
            resolver("Google 8.8.4.4", "8.8.4.4"),
            resolver("Cloudflare 1.1.1.1", "1.1.1.1"),
            resolver("Cloudflare 1.0.0.1", "1.0.0.1"),
            resolver("Quad9 9.9.9.9", "9.9.9.9"),
            resolver("Quad9 149.112.112.112", "149.112.112.112"),
            resolver("OpenDNS 208.67.222.222", "208.67.222.222"),
            resolver("OpenDNS 208.67.220.220", "208.67.220.220"));

    private PublicResolvers() {}

    private static NameServer resolver(String label, String address) {
        return new NameServer(label, NameServer.Role.RESOLVER, address, 53);
    }
}
