package io.mxcutover.appliance.cutover;

import io.mxcutover.appliance.facts.DnsFacts;
import io.mxcutover.appliance.facts.HostsGone;
import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.facts.QueueSummary;
import io.mxcutover.appliance.facts.SyncSummary;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.probe.ProbeResult;
import io.mxcutover.appliance.probe.ProbeRun;
import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.readiness.CheckState;
import io.mxcutover.appliance.readiness.Readiness;
import io.mxcutover.appliance.readiness.ReadinessInputs;
import io.mxcutover.appliance.store.DomainPhases;
import io.mxcutover.appliance.window.ApplianceRetirement;
import io.mxcutover.appliance.window.CatchUpWindow;
import io.mxcutover.appliance.window.WindowExtension;
import io.mxcutover.appliance.window.WindowInputs;
import io.mxcutover.appliance.window.WindowOverrides;
import io.mxcutover.appliance.window.WindowVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Gathers what the pure core judges (readiness inputs, window inputs) from the store and the sources, and
 * builds what the API shows (domain views, reports). Reads only; {@link CutoverService} writes.
 */
final class CutoverFacts {
    private final Supplier<MigrationPlan> plan;
    private final DomainPhases phases;
    private final CutoverRecords records;
    private final CutoverSources sources;
    private volatile Function<String, Optional<ProbeRun>> probeRuns = domain -> Optional.empty();
    private volatile Function<String, Optional<CopyTiming>> copyTimings = domain -> Optional.empty();
    private volatile Duration verificationMaxAge = DEFAULT_VERIFICATION_MAX_AGE;

    /** How old a mailbox's last verification may be for the gate to count it (cutover.verificationMaxAge). */
    static final Duration DEFAULT_VERIFICATION_MAX_AGE = Duration.ofHours(24);

    CutoverFacts(Supplier<MigrationPlan> plan, DomainPhases phases, CutoverRecords records, CutoverSources sources) {
        this.plan = plan;
        this.phases = phases;
        this.records = records;
        this.sources = sources;
    }

    void probeRuns(Function<String, Optional<ProbeRun>> newest) {
        this.probeRuns = newest;
    }

    void copyTimings(Function<String, Optional<CopyTiming>> timings) {
        this.copyTimings = timings;
    }

    void verificationMaxAge(Duration maxAge) {
        this.verificationMaxAge = maxAge;
    }

    MigrationPlan plan() {
        return plan.get();
    }

    CutoverPhase phase(DomainPlan d) {
        return phases.phase(d.name());
    }

    /** The newest cutover, when the domain is cut over (CATCHING_UP or COMPLETED). */
    Optional<CutoverRecord> currentCutover(DomainPlan d, CutoverPhase phase) {
        return phase == CutoverPhase.RELAYING ? Optional.empty() : records.latest(d.name());
    }

    /** Probes the new server now and asks the sources; runs the preflight as of {@code now}. */
    Readiness readiness(DomainPlan d, Instant now) {
        List<MailboxProgress> mailboxes = sources.mailboxes().progress(d.name());
        SyncSummary sync = sources.mailboxes().summary(d.name());
        QueueSummary queue = sources.relayQueue().queue(d.name());
        DnsFacts dns = sources.dns().facts(d.name());
        ProbeResult smtp = sources.probes().newSmtp(d);
        ProbeResult imap = sources.probes().newImap(d);
        Readiness judged = Readiness.evaluate(new ReadinessInputs(
                d.name(),
                mailboxes,
                smtp,
                imap,
                queue.heldOrFailingTowardNew(),
                dns.verdict(),
                dns.detail(),
                now,
                verificationMaxAge,
                d.flow(),
                // Imported but not judged: left out by batches.readiness: started-batches.
                sync.known() ? Math.max(0, sync.mailboxes() - mailboxes.size()) : 0));
        // A part that is not wired has no evidence: no history without a sync, no queue without a relay. Both
        // are red: a check passes only on a fact (an admin who runs without the relay passes force).
        List<Check> checks = new ArrayList<>();
        for (Check check : judged.checks()) {
            if (check.name().equals(Check.HISTORY) && !sync.known() && mailboxes.isEmpty()) {
                checks.add(new Check(
                        Check.HISTORY,
                        CheckState.FAIL,
                        "the sync has not reported on " + d.name()
                                + ": no mailbox is known to have its history copied; wire the sync, or pass force"));
            } else if (check.name().equals(Check.RELAY_QUEUE) && !queue.known()) {
                checks.add(
                        new Check(
                                Check.RELAY_QUEUE,
                                CheckState.FAIL,
                                "the relay has not reported its queue for "
                                        + d.name()
                                        + " (relay.enabled: false, or it did not start; see GET /api/v1/status), so nothing"
                                        + " says no mail for it is held; start the relay, or check GET /api/v1/queue and pass force"));
            } else {
                checks.add(check);
            }
        }
        return new Readiness(checks);
    }

    WindowVerdict window(DomainPlan d, CutoverPhase phase, Optional<CutoverRecord> cutover, Instant now) {
        if (phase == CutoverPhase.RELAYING || cutover.isEmpty()) {
            return WindowVerdict.notStarted();
        }
        return CatchUpWindow.evaluate(windowInputs(d, cutover.get()), now);
    }

    private WindowInputs windowInputs(DomainPlan d, CutoverRecord cutover) {
        DnsFacts dns = sources.dns().facts(d.name());
        SyncSummary sync = sources.mailboxes().summary(d.name());
        MigrationPlan p = plan.get();
        return new WindowInputs(
                cutover.at(),
                dns.mxSwitchSeenAt(),
                p.catchUpWindow(),
                dns.resolversConvergedAt(),
                dns.largestOldTtl(),
                sync.lastNewOnLegacyAt(),
                p.quietPeriod(),
                records.overrides(cutover.id()));
    }

    /** The domain page; {@code liveReadiness} probes the new server (detail page of a RELAYING domain only). */
    DomainView view(DomainPlan d, boolean liveReadiness, Instant now) {
        CutoverPhase phase = phase(d);
        Optional<CutoverRecord> cutover = currentCutover(d, phase);
        Optional<DomainReport> stored =
                cutover.filter(c -> phase == CutoverPhase.COMPLETED).flatMap(c -> records.report(c.id()));
        WindowVerdict window = stored.flatMap(DomainReport::window).orElseGet(() -> window(d, phase, cutover, now));
        Optional<DomainView.ReadinessView> readiness = Optional.empty();
        if (cutover.isPresent()) {
            Readiness atCutover = new Readiness(cutover.get().readiness());
            readiness = Optional.of(new DomainView.ReadinessView("at cutover", atCutover.ready(), atCutover.checks()));
        } else if (liveReadiness) {
            Readiness live = readiness(d, now);
            readiness = Optional.of(new DomainView.ReadinessView("live", live.ready(), live.checks()));
        }
        SyncSummary sync = sources.mailboxes().summary(d.name());
        DnsFacts dns = sources.dns().facts(d.name());
        return new DomainView(
                d.name(),
                phase,
                next(d, phase, readiness, window),
                phase == CutoverPhase.COMPLETED,
                readiness,
                windowView(window, cutover),
                dnsView(dns),
                sync,
                sources.relayQueue().queue(d.name()),
                cutover.map(c -> cutoverView(c, sync)),
                probeRuns.apply(d.name()),
                d.flow().key(),
                retirement(d, phase, now));
    }

    private Optional<DomainView.RetirementView> retirement(DomainPlan d, CutoverPhase phase, Instant now) {
        boolean relayFirst = d.flow() == io.mxcutover.appliance.plan.MxFlow.RELAY_FIRST;
        HostsGone dns = relayFirst && phase == CutoverPhase.COMPLETED
                ? sources.dns().hostsGone(d.name(), d.applianceMx())
                : HostsGone.UNKNOWN;
        return ApplianceRetirement.evaluate(d.name(), relayFirst, d.applianceMx(), phase, dns, now);
    }

    /** The stored final report of a COMPLETED domain, else one built now. */
    DomainReport report(DomainPlan d, Instant now) {
        CutoverPhase phase = phase(d);
        Optional<CutoverRecord> cutover = currentCutover(d, phase);
        if (phase == CutoverPhase.COMPLETED && cutover.isPresent()) {
            Optional<DomainReport> stored = records.report(cutover.get().id());
            if (stored.isPresent()) {
                return stored.get();
            }
        }
        return buildReport(d, phase, cutover, window(d, phase, cutover, now), false, now);
    }

    DomainReport buildReport(
            DomainPlan d,
            CutoverPhase phase,
            Optional<CutoverRecord> cutover,
            WindowVerdict window,
            boolean complete,
            Instant now) {
        SyncSummary sync = sources.mailboxes().summary(d.name());
        List<String> errors = new ArrayList<>(sync.errors());
        cutover.ifPresent(c ->
                c.finalPass().stream().filter(f -> f.error().isPresent()).forEach(f -> errors.add("final pass " + f)));
        String verdict = switch (phase) {
            case COMPLETED ->
                "migration of " + d.name() + " completed: catch-up window " + window.summary()
                        + "; sync stopped; the legacy server may be switched off";
            case CATCHING_UP -> "cut over; keep the legacy server running: catch-up window " + window.summary();
            case RELAYING ->
                "not cut over yet; the relay delivers to legacy; see the readiness checks at" + " GET /api/v1/domains/"
                        + d.name();
        };
        return new DomainReport(
                d.name(),
                complete,
                phase,
                now,
                cutover.map(CutoverRecord::at),
                cutover.map(CutoverRecord::actor),
                cutover.map(CutoverRecord::reason),
                cutover.map(CutoverRecord::forced).orElse(false),
                cutover.map(CutoverRecord::readiness).orElse(List.of()),
                cutover.flatMap(CutoverRecord::finalPassAt),
                cutover.map(CutoverRecord::finalPass).orElse(List.of()),
                complete ? Optional.of(now) : Optional.empty(),
                phase == CutoverPhase.RELAYING ? Optional.empty() : Optional.of(window),
                sync.known(),
                sync.messagesCopied(),
                cutover.map(c -> caughtUp(c, sync)).orElse(0L),
                sources.mailboxes().progress(d.name()),
                errors,
                phase == CutoverPhase.COMPLETED,
                verdict,
                probeRuns.apply(d.name()),
                copyTimings.apply(d.name()));
    }

    private static long caughtUp(CutoverRecord cutover, SyncSummary sync) {
        return Math.max(0, sync.messagesCopied() - cutover.copiedBefore());
    }

    private DomainView.WindowView windowView(WindowVerdict window, Optional<CutoverRecord> cutover) {
        MigrationPlan p = plan.get();
        WindowOverrides overrides = cutover.map(c -> records.overrides(c.id())).orElse(WindowOverrides.NONE);
        List<String> extensions = overrides.extensions().stream()
                .map(e -> e instanceof WindowExtension.By by
                        ? AdminText.span(by.by()) + " by " + by.user()
                        : "until " + AdminText.at(((WindowExtension.Until) e).until()) + " by " + e.user())
                .toList();
        return new DomainView.WindowView(
                window.state(),
                window.closesAt(),
                window.decidedBy(),
                window.reason(),
                window.summary(),
                AdminText.span(p.catchUpWindow()),
                AdminText.span(p.quietPeriod()),
                extensions,
                overrides.forcedClose().map(f -> "closed by " + f.user() + " at " + AdminText.at(f.at())));
    }

    private static DomainView.DnsView dnsView(DnsFacts dns) {
        return new DomainView.DnsView(
                dns.verdict(),
                dns.detail(),
                dns.mxSwitchSeenAt(),
                dns.resolversConvergedAt(),
                AdminText.span(dns.largestOldTtl()));
    }

    private static DomainView.CutoverView cutoverView(CutoverRecord c, SyncSummary sync) {
        long additional =
                c.finalPass().stream().mapToLong(FinalPass::additionalMessages).sum();
        return new DomainView.CutoverView(
                c.at(),
                c.actor(),
                c.reason(),
                c.forced(),
                c.finalPassAt().isPresent() ? "done" : "running",
                c.finalPassAt(),
                additional,
                c.finalPass(),
                caughtUp(c, sync));
    }

    private static String next(
            DomainPlan d, CutoverPhase phase, Optional<DomainView.ReadinessView> readiness, WindowVerdict window) {
        String base = "/api/v1/domains/" + d.name();
        return switch (phase) {
            case RELAYING ->
                readiness
                        .map(r -> r.ready()
                                ? "ready: POST " + base + "/cutover to go live"
                                : "not ready: fix the failing checks, or POST " + base + "/cutover with force")
                        .orElse("not cut over; GET " + base + " shows the readiness checks");
            case CATCHING_UP -> "keep the legacy server running: catch-up window " + window.summary();
            case COMPLETED -> "completed: the legacy server may be switched off for " + d.name();
        };
    }
}
