package io.mxcutover.appliance.cutover;

import io.mxcutover.appliance.facts.DnsFacts;
import io.mxcutover.appliance.facts.DnsSource;
import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.facts.MailboxProgressSource;
import io.mxcutover.appliance.facts.QueueSummary;
import io.mxcutover.appliance.facts.RelayQueueSource;
import io.mxcutover.appliance.facts.SyncSummary;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.probe.GreetingProbe;
import io.mxcutover.appliance.probe.ProbeResult;
import io.mxcutover.appliance.probe.ProbeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stand-ins for the sync, the relay queue, the DNS watcher and the probes, set per domain by the test. A
 * domain the test did not set answers like an unwired appliance ("unknown"), with real greeting probes.
 */
public final class FakeParts implements MailboxProgressSource, RelayQueueSource, DnsSource, ProbeSource {
    final Map<String, List<MailboxProgress>> progress = new ConcurrentHashMap<>();
    final Map<String, SyncSummary> sync = new ConcurrentHashMap<>();
    final Map<String, List<FinalPass>> finalPass = new ConcurrentHashMap<>();
    final Map<String, QueueSummary> queue = new ConcurrentHashMap<>();
    final Map<String, DnsFacts> dns = new ConcurrentHashMap<>();
    final Map<String, ProbeResult> smtp = new ConcurrentHashMap<>();
    final Map<String, ProbeResult> imap = new ConcurrentHashMap<>();
    final Set<String> stopped = ConcurrentHashMap.newKeySet();
    final List<String> phaseChanges = new CopyOnWriteArrayList<>();
    /** The time a {@link #ready} domain was verified at: set it to the appliance's test clock. */
    public volatile java.util.function.Supplier<java.time.Instant> now =
            () -> java.time.Instant.parse("2026-11-20T08:00:00Z");

    private final GreetingProbe real = new GreetingProbe(Duration.ofSeconds(2), Duration.ofSeconds(2));

    /** Everything green for {@code domain}: two mailboxes copied and verified, new answers, DNS switched. */
    public FakeParts ready(String domain) {
        progress.put(
                domain,
                List.of(
                        MailboxProgress.verified("anna@" + domain, true, 0, now.get()),
                        MailboxProgress.verified("bob@" + domain, true, 0, now.get())));
        sync.put(domain, new SyncSummary(true, 2, 100, java.util.Optional.empty(), List.of()));
        finalPass.put(domain, List.of(FinalPass.copied("anna@" + domain, 3), FinalPass.copied("bob@" + domain, 0)));
        queue.put(domain, new QueueSummary(true, 0, 0, 0, java.util.Optional.empty(), ""));
        dns.put(
                domain,
                new DnsFacts(
                        DnsVerdict.NOT_SWITCHED,
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        Duration.ZERO,
                        "MX still mx.legacy.test"));
        smtp.put(domain, ProbeResult.reachable("127.0.0.1:2 answered 220 new.test ESMTP"));
        imap.put(domain, ProbeResult.reachable("127.0.0.1:2 answered * OK"));
        return this;
    }

    public void install(CutoverService service) {
        service.sources().mailboxes(this).relayQueue(this).dns(this).probes(this);
        service.onPhaseChange((d, from, to) -> phaseChanges.add(d + " " + from + "->" + to));
    }

    @Override
    public List<MailboxProgress> progress(String domain) {
        return progress.getOrDefault(domain, List.of());
    }

    @Override
    public SyncSummary summary(String domain) {
        return sync.getOrDefault(domain, SyncSummary.UNKNOWN);
    }

    @Override
    public List<FinalPass> finalPass(String domain) {
        return finalPass.getOrDefault(domain, List.of());
    }

    @Override
    public void stopSyncing(String domain) {
        stopped.add(domain);
    }

    @Override
    public QueueSummary queue(String domain) {
        return queue.getOrDefault(domain, QueueSummary.UNKNOWN);
    }

    @Override
    public DnsFacts facts(String domain) {
        return dns.getOrDefault(domain, DnsFacts.UNKNOWN);
    }

    @Override
    public ProbeResult newSmtp(DomainPlan domain) {
        ProbeResult r = smtp.get(domain.name());
        return r != null ? r : real.newSmtp(domain);
    }

    @Override
    public ProbeResult newImap(DomainPlan domain) {
        ProbeResult r = imap.get(domain.name());
        return r != null ? r : real.newImap(domain);
    }
}
