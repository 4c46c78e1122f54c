package io.mxcutover.appliance.hook;

import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.PhaseListener;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.state.MailboxStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what happens into hook runs: {@link #fire} queues every hook configured for the event and returns
 * at once; the runs happen on {@code hooks.parallel} threads of their own, so a slow or hanging hook holds
 * up other hooks at most, never a sync pass, a batch command or a cutover. Each run is logged, audited
 * ({@code hook.ran} or {@code hook.failed}, with exit code and output) and stored in {@code hook_run}.
 */
public final class Hooks implements PhaseListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);

    private final HookConfig config;
    private final AuditLog audit;
    private final HookRuns runs;
    private final HookRunner runner;
    private final Clock clock;
    private final ExecutorService pool;
    /** Mailboxes whose history-copied event is on record, and those with no failed event on record: no write each pass. */
    private final java.util.Set<String> historyRecorded = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final java.util.Set<String> noFailureRecorded = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final List<java.util.function.Consumer<HookContext>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public Hooks(HookConfig config, AuditLog audit, HookRuns runs, Clock clock, Path tempDir) {
        this.config = config;
        this.audit = audit;
        this.runs = runs;
        this.clock = clock;
        this.runner = new HookRunner(clock, tempDir);
        this.pool = Executors.newFixedThreadPool(config.parallel, r -> {
            Thread t = new Thread(r, "hook");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Also tells {@code listener} of every event as it fires, configured hooks or not (the alerts listen
     * here). The listener must return at once; what it throws is logged and ignored.
     */
    public void onFire(java.util.function.Consumer<HookContext> listener) {
        listeners.add(listener);
    }

    /** Queues the hooks of the event; returns at once. Never throws. */
    public void fire(HookEvent event, String domain, Optional<String> mailbox, Optional<String> batch, String detail) {
        HookContext context = new HookContext(event, domain, mailbox, batch, detail, clock.instant());
        for (java.util.function.Consumer<HookContext> l : listeners) {
            try {
                l.accept(context);
            } catch (RuntimeException e) {
                LOG.warn("a listener of hook events failed on {}: {}", context, e.toString());
            }
        }
        for (HookConfig.Command c : config.commands) {
            if (!c.events.contains(event)) {
                continue;
            }
            try {
                pool.execute(() -> run(c, context));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.warn("hook {} for {} not run: the appliance is stopping", c.name, context);
            }
        }
    }

    /** Whether a hook is configured for {@code set-password}. */
    public boolean setsPasswords() {
        return config.commands.stream().anyMatch(c -> c.events.contains(HookEvent.SET_PASSWORD));
    }

    /**
     * Runs the {@code set-password} hooks now, one after the other, each with {@code password} on its stdin;
     * recorded like every run (never the password). True when at least one ran and every one succeeded.
     */
    public boolean setPassword(String domain, String mailbox, io.mxcutover.sync.credential.Secret password) {
        HookContext context = new HookContext(
                HookEvent.SET_PASSWORD,
                domain,
                Optional.of(mailbox),
                Optional.empty(),
                "the user's password is on stdin",
                clock.instant());
        boolean ran = false;
        boolean ok = true;
        for (HookConfig.Command c : config.commands) {
            if (c.events.contains(HookEvent.SET_PASSWORD)) {
                ran = true;
                ok &= !run(c, context, password.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .failed();
            }
        }
        return ran && ok;
    }

    private void run(HookConfig.Command c, HookContext context) {
        run(c, context, null);
    }

    private HookRun run(HookConfig.Command c, HookContext context, byte[] stdin) {
        Duration timeout = (c.timeout == null ? config.timeout : c.timeout).toJavaDuration();
        Path dir = c.workingDirectory == null || c.workingDirectory.isBlank() ? null : Path.of(c.workingDirectory);
        HookRun r = runner.run(c.name, c.command, dir, timeout, context, stdin);
        String reason = "hook " + c.name + " for " + context.event().word() + ": " + r.verdict();
        String details = "command: " + String.join(" ", c.command)
                + context.mailbox().map(m -> "; mailbox: " + m).orElse("")
                + context.batch().map(b -> "; batch: " + b).orElse("")
                + "; took " + r.took().toMillis() + " ms"
                + "; output: " + (r.output().isEmpty() ? "(none)" : r.output());
        if (r.failed()) {
            LOG.warn("{} ({}); the migration goes on", reason, context);
        } else {
            LOG.info("{} ({})", reason, context);
        }
        try {
            runs.save(r);
            audit.record(
                    "hook:" + c.name,
                    Optional.of(context.domain()),
                    r.failed() ? "hook.failed" : "hook.ran",
                    reason,
                    details);
        } catch (RuntimeException e) {
            LOG.warn("hook {}: the run could not be recorded: {}", c.name, e.toString());
        }
        return r;
    }

    /**
     * After each mailbox pass: {@code mailbox-history-copied} the first time the mailbox is SYNCED,
     * {@code mailbox-failed} when it could not be synced (once, until it syncs again). Never throws.
     */
    public void mailboxPassed(MailboxResult r, String domain, Optional<String> batch) {
        try {
            if (r.phase() == MailboxStatus.Phase.SYNCED) {
                if (!noFailureRecorded.contains(r.address())) {
                    runs.forget(r.address(), HookEvent.MAILBOX_FAILED);
                    noFailureRecorded.add(r.address());
                }
                if (!historyRecorded.contains(r.address())) {
                    if (runs.firstTime(r.address(), HookEvent.MAILBOX_HISTORY_COPIED)) {
                        fire(
                                HookEvent.MAILBOX_HISTORY_COPIED,
                                domain,
                                Optional.of(r.address()),
                                batch,
                                r.copied() + " message(s) copied in the last pass");
                    }
                    historyRecorded.add(r.address());
                }
            } else if (r.phase() == MailboxStatus.Phase.FAILED) {
                noFailureRecorded.remove(r.address());
                if (runs.firstTime(r.address(), HookEvent.MAILBOX_FAILED)) {
                    fire(
                            HookEvent.MAILBOX_FAILED,
                            domain,
                            Optional.of(r.address()),
                            batch,
                            r.reason() == null ? "" : r.reason());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("mailbox {}: hook events not recorded: {}", r.address(), e.toString());
        }
    }

    /** RELAYING -> CATCHING_UP is a cutover; -> COMPLETED is the window closing. */
    @Override
    public void phaseChanged(String domain, CutoverPhase from, CutoverPhase to) {
        if (to == CutoverPhase.CATCHING_UP && from == CutoverPhase.RELAYING) {
            fire(
                    HookEvent.DOMAIN_CUT_OVER,
                    domain,
                    Optional.empty(),
                    Optional.empty(),
                    "cut over: mail now goes to new");
        } else if (to == CutoverPhase.COMPLETED) {
            fire(
                    HookEvent.WINDOW_CLOSED,
                    domain,
                    Optional.empty(),
                    Optional.empty(),
                    "catch-up window closed: sync from legacy stopped");
        }
    }

    /** The hooks configured, for the API. */
    public List<HookConfig.Command> configured() {
        return config.commands;
    }

    /** Stops: running hooks are killed, queued ones dropped (each logged by its runner). */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
