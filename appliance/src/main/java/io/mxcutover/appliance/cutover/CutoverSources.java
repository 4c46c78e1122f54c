package io.mxcutover.appliance.cutover;

import io.mxcutover.appliance.facts.DnsSource;
import io.mxcutover.appliance.facts.MailboxProgressSource;
import io.mxcutover.appliance.facts.RelayQueueSource;
import io.mxcutover.appliance.probe.ProbeSource;
import java.util.Objects;

/**
 * Where the cutover gets its facts: the sync, the relay queue, the DNS watcher and the probes of the new
 * server. Each starts as an "unknown" stand-in, so the API works before the parts are wired, and is
 * replaced by the part's wiring in {@code ApplianceApplication.run()}, in any order, also after start:
 * every read goes through this holder.
 */
public final class CutoverSources {
    private volatile MailboxProgressSource mailboxes = MailboxProgressSource.UNKNOWN;
    private volatile RelayQueueSource relayQueue = RelayQueueSource.UNKNOWN;
    private volatile DnsSource dns = DnsSource.UNKNOWN;
    private volatile ProbeSource probes;

    public CutoverSources(ProbeSource probes) {
        this.probes = Objects.requireNonNull(probes, "probes");
    }

    public CutoverSources mailboxes(MailboxProgressSource source) {
        this.mailboxes = Objects.requireNonNull(source, "source");
        return this;
    }

    public CutoverSources relayQueue(RelayQueueSource source) {
        this.relayQueue = Objects.requireNonNull(source, "source");
        return this;
    }

    public CutoverSources dns(DnsSource source) {
        this.dns = Objects.requireNonNull(source, "source");
        return this;
    }

    public CutoverSources probes(ProbeSource source) {
        this.probes = Objects.requireNonNull(source, "source");
        return this;
    }

    public MailboxProgressSource mailboxes() {
        return mailboxes;
    }

    public RelayQueueSource relayQueue() {
        return relayQueue;
    }

    public DnsSource dns() {
        return dns;
    }

    public ProbeSource probes() {
        return probes;
    }
}
