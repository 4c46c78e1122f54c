package io.mxcutover.appliance.cutover;

import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.probe.PostCutoverProbes;
import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.readiness.Readiness;
import io.mxcutover.appliance.store.DomainPhases;
import io.mxcutover.appliance.window.WindowVerdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Carries out what {@link CutoverMachine} decides, for one domain at a time: gathers the facts, asks the
 * machine, persists the decision (phase and audit in one transaction, before any effect), then acts.
 *
 * <p>Cutover, in order: record the cutover (time, user, reason, preflight), move the phase to CATCHING_UP
 * (from here the relay delivers to new at its next attempt), tell the {@link PhaseListener}s, then run the
 * final sync pass on the service's own thread and record "N additional messages" per mailbox. The window
 * starts at the recorded cutover time. Completion (tick or close): move the phase to COMPLETED, stop the
 * domain's sync, store the final report. A completion interrupted by a crash is finished by the next tick,
 * and so is a final pass: a CATCHING_UP domain whose final pass has no recorded result (the appliance died
 * during it) gets it run again by the first tick after the restart.
 *
 * <p>Commands on one domain are serialised; a repeated command returns the current state and writes only
 * an audit line. Logs: one INFO line per phase change and per stored report, WARN when a part fails.
 */
public final class CutoverService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverService.class);

    private final CutoverFacts facts;
    private final DomainPhases phases;
    private final AuditLog audit;
    private final CutoverRecords records;
    private final CutoverSources sources;
    private final Clock clock;
    private final List<PhaseListener> listeners = new CopyOnWriteArrayList<>();
    private volatile PostCutoverProbes postCutover;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
    /** Cutover ids whose final pass runs (or waits to run) in this process. */
    private final java.util.Set<String> finalPassesRunning = ConcurrentHashMap.newKeySet();
    /** This node's id among the nodes sharing the store; null on a single node that never said. */
    private volatile String node;
    /** Whether a node's heartbeat is recent (appliance.cluster); a final pass of a dead node is taken over. */
    private volatile java.util.function.Predicate<String> nodeAlive = n -> true;

    private final ExecutorService finalPasses = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cutover-final-pass");
        t.setDaemon(true);
        return t;
    });

    public CutoverService(
            Supplier<MigrationPlan> plan,
            DomainPhases phases,
            AuditLog audit,
            CutoverRecords records,
            CutoverSources sources,
            Clock clock) {
        this.facts = new CutoverFacts(plan, phases, records, sources);
        this.phases = phases;
        this.audit = audit;
        this.records = records;
        this.sources = sources;
        this.clock = clock;
    }

    /** How old a mailbox's last verification may be for the readiness gate to count it (default 24 h). */
    public CutoverService verificationMaxAge(java.time.Duration maxAge) {
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("cutover.verificationMaxAge must be positive, got " + maxAge);
        }
        facts.verificationMaxAge(maxAge);
        return this;
    }

    /** Where the relay, sync and DNS wiring install their sources. */
    public CutoverSources sources() {
        return sources;
    }

    /**
     * This node's id and how to tell whether another node is alive: a cutover records the node running its final
     * pass, and another node's tick runs that pass again only when its node is no longer alive.
     */
    public CutoverService cluster(String nodeId, java.util.function.Predicate<String> alive) {
        this.node = nodeId;
        this.nodeAlive = alive;
        return this;
    }

    public void onPhaseChange(PhaseListener listener) {
        listeners.add(listener);
    }

    /** Installs where the domain report finds the inventory's estimate and the real copy's duration. */
    public void copyTimings(java.util.function.Function<String, Optional<CopyTiming>> timings) {
        facts.copyTimings(timings);
    }

    /** Installs the post-cutover probes: run after each final pass, their newest run shown per domain. */
    public void postCutoverProbes(PostCutoverProbes probes) {
        this.postCutover = probes;
        facts.probeRuns(probes::latest);
    }

    /** The installed post-cutover probes (the sync wiring installs its passwords there); null before. */
    public PostCutoverProbes postCutoverProbes() {
        return postCutover;
    }

    public CutoverPhase phase(DomainPlan d) {
        return facts.phase(d);
    }

    /** The domain as the plan in force names it; empty when it is not in the plan. */
    public Optional<DomainPlan> planned(String domain) {
        return facts.plan().domain(domain == null ? "" : domain.strip());
    }

    public List<String> domainNames() {
        return facts.plan().domainNames();
    }

    public List<DomainView> overview() {
        Instant now = clock.instant();
        return facts.plan().domains().stream()
                .map(d -> facts.view(d, false, now))
                .toList();
    }

    public DomainView view(DomainPlan d) {
        return facts.view(d, true, clock.instant());
    }

    public DomainReport report(DomainPlan d) {
        return facts.report(d, clock.instant());
    }

    public CommandResult cutover(DomainPlan d, String user, String reason, boolean force) {
        Command.Cutover cmd = new Command.Cutover(reason, force, user);
        synchronized (lock(d)) {
            CutoverPhase phase = facts.phase(d);
            Optional<CutoverRecord> current = facts.currentCutover(d, phase);
            Readiness readiness =
                    phase == CutoverPhase.RELAYING ? facts.readiness(d, clock.instant()) : Readiness.notEvaluated();
            Transition t =
                    CutoverMachine.apply(phase, cmd, readiness, facts.window(d, phase, current, clock.instant()));
            if (t instanceof Transition.Changed c) {
                String checks = String.join(
                        "; ", readiness.checks().stream().map(Check::toString).toList());
                long copiedBefore = sources.mailboxes().summary(d.name()).messagesCopied();
                String id = java.util.UUID.randomUUID().toString();
                Instant at = clock.instant();
                // The cutover's record in the phase change's transaction: of two nodes receiving the call at once,
                // one moves the phase and records the cutover, the other writes nothing.
                if (!move(
                        d,
                        c,
                        cmd.user(),
                        cmd.reason(),
                        c.auditText() + " | preflight: " + checks,
                        conn -> records.begin(
                                conn,
                                id,
                                d.name(),
                                at,
                                cmd.user(),
                                cmd.reason(),
                                cmd.force(),
                                readiness.checks(),
                                copiedBefore,
                                node))) {
                    return result(d, lostRace(d, phase));
                }
                runFinalPass(d, id);
            } else {
                note(d, cmd.user(), "cutover", cmd.reason(), t);
            }
            return result(d, t);
        }
    }

    public CommandResult rollback(DomainPlan d, String user, String reason) {
        Command.Rollback cmd = new Command.Rollback(reason, user);
        synchronized (lock(d)) {
            CutoverPhase phase = facts.phase(d);
            Transition t = CutoverMachine.apply(
                    phase,
                    cmd,
                    Readiness.notEvaluated(),
                    facts.window(d, phase, facts.currentCutover(d, phase), clock.instant()));
            if (t instanceof Transition.Changed c) {
                if (!move(d, c, cmd.user(), cmd.reason(), c.auditText(), conn -> {})) {
                    return result(d, lostRace(d, phase));
                }
            } else {
                note(d, cmd.user(), "rollback", cmd.reason(), t);
            }
            return result(d, t);
        }
    }

    public CommandResult extendWindow(DomainPlan d, String user, Duration by, String reason) {
        Command.ExtendWindow cmd = new Command.ExtendWindow(by, user);
        String why = AdminText.reason(reason);
        synchronized (lock(d)) {
            CutoverPhase phase = facts.phase(d);
            Optional<CutoverRecord> cutover = facts.currentCutover(d, phase);
            if (phase != CutoverPhase.RELAYING && cutover.isEmpty()) {
                return result(d, withoutRecord(d, phase));
            }
            Transition t = CutoverMachine.apply(
                    phase, cmd, Readiness.notEvaluated(), facts.window(d, phase, cutover, clock.instant()));
            if (t instanceof Transition.WindowExtended x) {
                // The audit line first: an extension nobody can account for must not exist.
                audit.record(cmd.user(), Optional.of(d.name()), "window.extend", why, x.auditText());
                records.extend(cutover.orElseThrow().id(), clock.instant(), cmd.user(), x.by(), why);
                LOG.info("Catch-up window of {} extended by {} by {}", d.name(), AdminText.span(x.by()), cmd.user());
            } else {
                note(d, cmd.user(), "window.extend", why, t);
            }
            return result(d, t);
        }
    }

    public CommandResult closeWindow(DomainPlan d, String user, boolean force, String reason) {
        Command.CloseWindow cmd = new Command.CloseWindow(force, user);
        String why = AdminText.reason(reason);
        synchronized (lock(d)) {
            CutoverPhase phase = facts.phase(d);
            Optional<CutoverRecord> cutover = facts.currentCutover(d, phase);
            if (phase != CutoverPhase.RELAYING && cutover.isEmpty()) {
                return result(d, withoutRecord(d, phase));
            }
            WindowVerdict window = facts.window(d, phase, cutover, clock.instant());
            Transition t = CutoverMachine.apply(phase, cmd, Readiness.notEvaluated(), window);
            if (t instanceof Transition.Changed c) {
                String cutoverId = cutover.orElseThrow().id();
                Instant at = clock.instant();
                boolean forcedClose = !window.closed();
                if (!move(d, c, cmd.user(), why, c.auditText(), conn -> {
                    if (forcedClose) {
                        records.forceClose(conn, cutoverId, at, cmd.user(), why);
                    }
                })) {
                    return result(d, lostRace(d, phase));
                }
                complete(d, cutover.orElseThrow());
            } else {
                note(d, cmd.user(), "window.close", why, t);
            }
            return result(d, t);
        }
    }

    /**
     * Completes every CATCHING_UP domain of the plan whose window closed, and finishes a completion a
     * crash interrupted. One domain failing does not stop the others.
     */
    public void tick() {
        for (DomainPlan d : facts.plan().domains()) {
            try {
                tick(d);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Cutover check of domain {} failed; it is retried at the next tick: {}",
                        d.name(),
                        e.toString(),
                        e);
            }
        }
    }

    private void tick(DomainPlan d) {
        synchronized (lock(d)) {
            CutoverPhase phase = facts.phase(d);
            Optional<CutoverRecord> cutover = facts.currentCutover(d, phase);
            if (cutover.isEmpty()) {
                return;
            }
            if (phase == CutoverPhase.COMPLETED) {
                if (records.report(cutover.get().id()).isEmpty()) {
                    complete(d, cutover.get());
                }
                return;
            }
            if (phase == CutoverPhase.CATCHING_UP
                    && cutover.get().finalPassAt().isEmpty()
                    && !finalPassesRunning.contains(cutover.get().id())
                    && finalPassIsMine(cutover.get().id())) {
                // The phase was persisted but the final pass never recorded its result: the appliance stopped
                // (or was killed) during it. Passes are idempotent (the journal), so it is simply run again.
                LOG.warn(
                        "Final sync pass of {} (cutover {}) has no recorded result: the appliance stopped during it;"
                                + " running it again",
                        d.name(),
                        cutover.get().id());
                runFinalPass(d, cutover.get().id());
            }
            Transition t = CutoverMachine.apply(
                    phase,
                    new Command.Tick(),
                    Readiness.notEvaluated(),
                    facts.window(d, phase, cutover, clock.instant()));
            if (t instanceof Transition.Changed c
                    && move(d, c, Command.SYSTEM_USER, "catch-up window closed", c.auditText(), conn -> {})) {
                complete(d, cutover.get());
            }
        }
    }

    /**
     * Persists the phase change with its audit line, then tells the listeners; the log lines of both carry
     * the MDC keys {@code domain} and {@code phase} (the new phase).
     */
    private boolean move(
            DomainPlan d,
            Transition.Changed c,
            String user,
            String reason,
            String details,
            DomainPhases.InTransition also) {
        try (MDC.MDCCloseable dm = MDC.putCloseable("domain", d.name());
                MDC.MDCCloseable ph = MDC.putCloseable("phase", c.to().name())) {
            return moveNow(d, c, user, reason, details, also);
        }
    }

    private boolean moveNow(
            DomainPlan d,
            Transition.Changed c,
            String user,
            String reason,
            String details,
            DomainPhases.InTransition also) {
        if (!phases.transition(d.name(), c.from(), c.to(), user, reason, details, also)) {
            return false;
        }
        LOG.info("Domain {} moved from {} to {} by {}: {}", d.name(), c.from(), c.to(), user, c.auditText());
        for (PhaseListener listener : listeners) {
            try {
                listener.phaseChanged(d.name(), c.from(), c.to());
            } catch (RuntimeException e) {
                LOG.warn(
                        "A part of the appliance failed to take the phase change of {} to {}: {}",
                        d.name(),
                        c.to(),
                        e.toString(),
                        e);
            }
        }
        return true;
    }

    /** After COMPLETED is on disk: stop the sync, then store the final report (its counts are then final). */
    private void complete(DomainPlan d, CutoverRecord cutover) {
        sources.mailboxes().stopSyncing(d.name());
        Instant now = clock.instant();
        Optional<CutoverRecord> latest = records.latest(d.name());
        CutoverRecord c = latest.filter(l -> l.id().equals(cutover.id())).orElse(cutover);
        WindowVerdict window = facts.window(d, CutoverPhase.CATCHING_UP, Optional.of(c), now);
        DomainReport report = facts.buildReport(d, CutoverPhase.COMPLETED, Optional.of(c), window, true, now);
        if (!records.storeReport(c.id(), now, report)) {
            return; // another node completed it at the same time; its report and audit line stand
        }
        audit.record(
                Command.SYSTEM_USER,
                Optional.of(d.name()),
                "report.stored",
                "domain completed",
                "sync stopped; final report stored: " + report.messagesCopied() + " messages copied, "
                        + report.caughtUpAfterCutover() + " caught up after cutover, "
                        + report.errors().size()
                        + " error(s); the legacy server may be switched off");
        LOG.info(
                "Domain {} completed: sync stopped, final report stored; the legacy server may be switched off",
                d.name());
    }

    /**
     * Whether this node runs the unfinished final pass of {@code cutoverId}: its own (or one recorded without a
     * node: a single node, a cutover from before V8), or a dead node's, taken over with a conditional update.
     */
    private boolean finalPassIsMine(String cutoverId) {
        String me = node;
        if (me == null) {
            return true;
        }
        Optional<String> owner = records.finalPassNode(cutoverId);
        if (owner.isEmpty() || owner.get().equals(me)) {
            return true;
        }
        if (nodeAlive.test(owner.get())) {
            return false;
        }
        boolean taken = records.takeFinalPass(cutoverId, owner.get(), me);
        if (taken) {
            LOG.warn(
                    "Node {} ran the final sync pass of cutover {} and is gone (no heartbeat); node {} runs it",
                    owner.get(),
                    cutoverId,
                    me);
        }
        return taken;
    }

    private void runFinalPass(DomainPlan d, String cutoverId) {
        if (finalPassesRunning.add(cutoverId)) {
            try {
                finalPasses.execute(() -> {
                    try {
                        finalPass(d, cutoverId);
                    } finally {
                        finalPassesRunning.remove(cutoverId);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                finalPassesRunning.remove(cutoverId);
            }
        }
    }

    private void finalPass(DomainPlan d, String cutoverId) {
        List<FinalPass> results;
        try {
            results = sources.mailboxes().finalPass(d.name());
        } catch (RuntimeException e) {
            LOG.warn(
                    "Final sync pass of {} failed; the catch-up window keeps syncing its mailboxes: {}",
                    d.name(),
                    e.toString(),
                    e);
            results = List.of(FinalPass.failed("(every mailbox of " + d.name() + ")", 0, e.toString()));
        }
        try {
            records.finalPassDone(cutoverId, clock.instant(), results);
            long total =
                    results.stream().mapToLong(FinalPass::additionalMessages).sum();
            audit.record(
                    Command.SYSTEM_USER,
                    Optional.of(d.name()),
                    "cutover.final-pass",
                    "final sync pass at cutover",
                    AdminText.count(total, "additional message", "additional messages") + " in "
                            + AdminText.count(results.size(), "mailbox", "mailboxes")
                            + (results.isEmpty()
                                    ? ""
                                    : ": "
                                            + AdminText.firstFew(results.stream()
                                                    .map(FinalPass::toString)
                                                    .toList())));
        } catch (RuntimeException e) {
            LOG.warn("Recording the final sync pass of {} failed: {}", d.name(), e.toString(), e);
        }
        // After the final pass, so the probes see the new server as the users will from now on.
        PostCutoverProbes probes = postCutover;
        if (probes != null && facts.phase(d) == CutoverPhase.CATCHING_UP) {
            probes.afterCutover(d);
        }
    }

    /** Repeats and refusals write no phase, but the attempt is still on record with its user. */
    private void note(DomainPlan d, String user, String action, String reason, Transition t) {
        if (t instanceof Transition.Refused r) {
            audit.record(
                    user,
                    Optional.of(d.name()),
                    action + ".refused",
                    reason,
                    r.reason()
                            + (r.failingChecks().isEmpty()
                                    ? ""
                                    : " | "
                                            + String.join(
                                                    "; ",
                                                    r.failingChecks().stream()
                                                            .map(Check::toString)
                                                            .toList())));
        } else if (t instanceof Transition.Unchanged u) {
            audit.record(user, Optional.of(d.name()), action + ".repeated", reason, u.why());
        }
    }

    private Transition lostRace(DomainPlan d, CutoverPhase expected) {
        return new Transition.Refused(
                facts.phase(d),
                Transition.Grounds.NOT_ALLOWED_IN_PHASE,
                "the phase of " + d.name() + " changed from " + expected + " while this request ran; look again and"
                        + " retry if still wanted",
                List.of());
    }

    // Only a store edited by hand (or by an older version) has a cut-over phase without its cutover row.
    private static Transition withoutRecord(DomainPlan d, CutoverPhase phase) {
        return new Transition.Refused(
                phase,
                Transition.Grounds.NOT_ALLOWED_IN_PHASE,
                d.name() + " is " + phase
                        + " but the store has no cutover record for it, so its catch-up window is unknown; roll it back"
                        + " and cut over again",
                List.of());
    }

    private CommandResult result(DomainPlan d, Transition t) {
        return new CommandResult(t, facts.view(d, false, clock.instant()));
    }

    private Object lock(DomainPlan d) {
        return locks.computeIfAbsent(d.name(), k -> new Object());
    }

    /** Waits briefly for a running final pass, so its result is recorded before the store closes. */
    @Override
    public void close() {
        PostCutoverProbes probes = postCutover;
        if (probes != null) {
            probes.close();
        }
        finalPasses.shutdown();
        try {
            if (!finalPasses.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("A final sync pass was still running at shutdown; its result is not recorded"
                        + " (the catch-up window keeps syncing)");
                finalPasses.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
