package io.mxcutover.appliance.facts;

import io.mxcutover.appliance.cutover.CutoverSources;
import io.mxcutover.appliance.window.ApplianceRetirement;

/**
 * What the cutover needs from the DNS watcher, per domain. The DNS wiring implements it (mapping the
 * dnscheck propagation report) and installs it with {@link CutoverSources#dns(DnsSource)}; until then
 * {@link #UNKNOWN} answers: verdict UNKNOWN, MX switch never seen, so no window closes by itself.
 * Called from any thread; must not throw for an unknown domain.
 */
public interface DnsSource {

    DnsFacts facts(String domain);

    /**
     * When {@code hosts} may be switched off: no authoritative server or watched resolver of
     * {@code domain} returns them any more, plus their TTL (see {@link ApplianceRetirement}).
     */
    default HostsGone hostsGone(String domain, java.util.List<String> hosts) {
        return HostsGone.UNKNOWN;
    }

    DnsSource UNKNOWN = new DnsSource() {
        @Override
        public DnsFacts facts(String domain) {
            return DnsFacts.UNKNOWN;
        }

        @Override
        public String toString() {
            return "DNS watcher not wired";
        }
    };
}
