package io.mxcutover.appliance.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.Managed;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.cutover.AdminText;
import io.mxcutover.appliance.cutover.FinalPass;
import io.mxcutover.appliance.hook.HookEvent;
import io.mxcutover.appliance.hook.HookRuns;
import io.mxcutover.appliance.hook.Hooks;
import io.mxcutover.appliance.sync.SyncManaged;
import io.mxcutover.sync.batch.Batch;
import io.mxcutover.sync.batch.BatchState;
import io.mxcutover.sync.batch.BatchStore;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.mailbox.MailboxAddress;
import io.mxcutover.sync.report.Eta;
import io.mxcutover.sync.report.MailboxReport;
import io.mxcutover.sync.report.RateMeter;
import io.mxcutover.sync.report.SyncReport;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.state.SyncStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A domain's batches: the admin's commands on them, their reports, and the two questions the rest of the
 * appliance asks: is this mailbox copied ({@link #copies}), is it judged by the readiness check
 * ({@link #judged}). Built before the sync starts; installs those answers and its pass listener on the sync.
 */
public final class Batches implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Batches.class);
    private static final TypeReference<List<FinalPass>> FINAL_PASS = new TypeReference<>() {};

    private final BatchStore store;
    private final SyncStore syncStore;
    private final SyncManaged sync;
    private final Hooks hooks;
    private final HookRuns hookRuns;
    private final AuditLog audit;
    private final BatchConfig config;
    private final Clock clock;
    private final ObjectMapper json = Jackson.newObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Map<String, RateMeter> rates = new ConcurrentHashMap<>();
    private final Set<String> finalPassesRunning = ConcurrentHashMap.newKeySet();
    private final ExecutorService finalPasses = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "batch-final-pass");
        t.setDaemon(true);
        return t;
    });

    public Batches(
            DataSource ds,
            SyncManaged sync,
            Hooks hooks,
            HookRuns hookRuns,
            AuditLog audit,
            BatchConfig config,
            Clock clock) {
        this.store = new BatchStore(ds, clock);
        this.syncStore = new SyncStore(ds, clock);
        this.sync = sync;
        this.hooks = hooks;
        this.hookRuns = hookRuns;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
        sync.copyOnly(this::copies);
        sync.judgeOnly(this::judged);
        sync.onMailboxPass(this::passed);
    }

    /** Final passes a stop cut short (completed, no result stored) run again. */
    @Override
    public void start() {
        for (String domain : domains()) {
            for (Batch b : store.batches(domain)) {
                if (b.finalPassRunning()) {
                    LOG.info(
                            "batch {} of {}: its final pass did not finish before the appliance stopped; running it"
                                    + " again",
                            b.name(),
                            domain);
                    submitFinalPass(domain, b.name());
                }
            }
        }
    }

    @Override
    public void stop() {
        finalPasses.shutdownNow();
    }

    private List<String> domains() {
        return syncStore.mailboxes().stream()
                .map(m -> MailboxAddress.domainOf(m.address()))
                .distinct()
                .toList();
    }

    // ---- what the sync and the readiness ask -------------------------------------------------

    /** A mailbox in no batch is copied; one in a batch only while the batch is started or completed. */
    public boolean copies(String address) {
        return store.membership(address).map(m -> m.state().copies()).orElse(true);
    }

    /** Judged by the readiness check: every mailbox, or (started-batches) those of started batches and of none. */
    public boolean judged(String address) {
        return config.readiness == BatchConfig.ReadinessScope.ALL_MAILBOXES
                || store.membership(address).map(m -> m.state().started()).orElse(true);
    }

    private void passed(MailboxResult r) {
        Optional<String> batch = store.membership(r.address()).map(BatchStore.Membership::batch);
        String domain = MailboxAddress.domainOf(r.address());
        hooks.mailboxPassed(r, domain, batch);
        batch.ifPresent(b -> reading(domain, b, clock.instant()));
    }

    private RateMeter reading(String domain, String batch, Instant now) {
        RateMeter meter = rates.computeIfAbsent(domain + "/" + batch, k -> new RateMeter());
        if (meter.due(now)) {
            long[] totals = store.copiedTotals(domain, batch);
            meter.record(now, totals[0], totals[1]);
        }
        return meter;
    }

    // ---- commands ------------------------------------------------------------------------------

    /** The result of a command: the batch after it, whether it changed, and what happened in words. */
    public record CommandResult(BatchReport batch, boolean changed, String message) {}

    /**
     * Applies the command, audited. COMPLETE starts the final pass on its own thread and returns at once
     * (the report shows it {@code running}, then {@code done} with the additional messages per mailbox).
     *
     * @throws NoSuchElementException the domain has no such batch
     * @throws BatchRefused the batch's state does not allow the command, or another change came first
     */
    public CommandResult command(String domain, String name, BatchState.Command command, String user, String reason) {
        Batch b = batch(domain, name);
        BatchState.Outcome o = b.state().apply(command);
        String action = "batch." + command.name().toLowerCase(java.util.Locale.ROOT);
        if (o.refused()) {
            throw new BatchRefused("batch " + b.name() + " of " + b.domain() + " is " + b.state() + ": " + o.reason());
        }
        if (o.finalPass() && finalPassesRunning.contains(key(b.domain(), b.name()))) {
            return new CommandResult(report(b, false), false, "the final pass of batch " + b.name() + " is running");
        }
        if (o.changed() || o.finalPass()) {
            if (!store.transition(b.domain(), b.name(), b.state(), o.to(), user)) {
                throw new BatchRefused("batch " + b.name() + " of " + b.domain() + " changed meanwhile; read it again"
                        + " (GET /api/v1/domains/" + b.domain() + "/batches/" + b.name() + ") and retry");
            }
            int mailboxes = store.members(b.domain(), b.name()).size();
            String what = b.state() + " -> " + o.to() + ", " + AdminText.count(mailboxes, "mailbox", "mailboxes")
                    + (o.finalPass() ? "; final pass started" : "");
            audit.record(
                    user,
                    Optional.of(b.domain()),
                    action,
                    reason.isBlank() ? "requested through the API" : reason,
                    "batch " + b.name() + ": " + what);
            LOG.info("batch {} of {}: {} by {}", b.name(), b.domain(), what, user);
            if (o.finalPass()) {
                submitFinalPass(b.domain(), b.name());
            }
            Batch after = batch(domain, name);
            return new CommandResult(report(after, false), true, "batch " + b.name() + ": " + what);
        }
        return new CommandResult(report(b, false), false, "batch " + b.name() + ": " + o.reason());
    }

    /**
     * Puts mailboxes of the plan into the batch (created NEW when missing), out of any other.
     *
     * @throws IllegalArgumentException a name that is not a batch name, an address of another domain or not
     *                                  in the mailbox list (nothing is changed then)
     */
    public CommandResult assign(String domain, String name, List<String> addresses, String user) {
        String d = BatchStore.key(domain);
        String n = BatchStore.key(name);
        Batch.nameProblem(n).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        List<String> problems = new ArrayList<>();
        Map<String, String> batchOf = new LinkedHashMap<>();
        for (String a : addresses) {
            String address = BatchStore.key(a);
            if (!MailboxAddress.domainOf(address).equals(d)) {
                problems.add(address + " is not of domain " + d);
            } else if (syncStore.mailbox(address).isEmpty()) {
                problems.add(address + " is not in the mailbox list; import it first (POST /api/v1/mailboxes)");
            } else {
                batchOf.put(address, n);
            }
        }
        if (!problems.isEmpty() || batchOf.isEmpty()) {
            throw new IllegalArgumentException(problems.isEmpty() ? "no mailbox given" : String.join("; ", problems));
        }
        store.assign(batchOf, user);
        audit.record(
                user,
                Optional.of(d),
                "batch.assign",
                "mailboxes put into batch " + n,
                AdminText.count(batchOf.size(), "mailbox", "mailboxes") + ": "
                        + AdminText.firstFew(List.copyOf(batchOf.keySet())));
        return new CommandResult(
                report(batch(d, n), false),
                true,
                AdminText.count(batchOf.size(), "mailbox", "mailboxes") + " now in batch " + n);
    }

    private Batch batch(String domain, String name) {
        return store.batch(domain, name)
                .orElseThrow(() -> new NoSuchElementException("domain " + domain + " has no batch " + name));
    }

    private static String key(String domain, String name) {
        return domain + "/" + name;
    }

    private void submitFinalPass(String domain, String name) {
        finalPassesRunning.add(key(domain, name));
        try {
            finalPasses.execute(() -> finalPass(domain, name));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            finalPassesRunning.remove(key(domain, name));
            LOG.warn(
                    "batch {} of {}: final pass not started: the appliance is stopping; it runs at the next start",
                    name,
                    domain);
        }
    }

    private void finalPass(String domain, String name) {
        try {
            Set<String> members = new HashSet<>(store.members(domain, name));
            List<FinalPass> results = sync.passOver(domain, members::contains);
            Instant at = clock.instant();
            store.finalPassDone(domain, name, at, json.writeValueAsString(results));
            long total =
                    results.stream().mapToLong(FinalPass::additionalMessages).sum();
            String detail = AdminText.count(total, "additional message", "additional messages") + " in "
                    + AdminText.count(results.size(), "mailbox", "mailboxes");
            audit.record(
                    io.mxcutover.appliance.cutover.Command.SYSTEM_USER,
                    Optional.of(domain),
                    "batch.final-pass",
                    "final pass of batch " + name,
                    detail
                            + (results.isEmpty()
                                    ? ""
                                    : ": "
                                            + AdminText.firstFew(results.stream()
                                                    .map(FinalPass::toString)
                                                    .toList())));
            LOG.info("batch {} of {}: final pass done, {}", name, domain, detail);
            hooks.fire(HookEvent.BATCH_COMPLETED, domain, Optional.empty(), Optional.of(name), detail);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn(
                    "batch {} of {}: final pass failed; it runs again at the next complete or start of the"
                            + " appliance: {}",
                    name,
                    domain,
                    e.toString(),
                    e);
        } finally {
            finalPassesRunning.remove(key(domain, name));
        }
    }

    // ---- reports -------------------------------------------------------------------------------

    public List<BatchReport> list(String domain) {
        return store.batches(domain).stream().map(b -> report(b, false)).toList();
    }

    public Optional<BatchReport> report(String domain, String name) {
        return store.batch(domain, name).map(b -> report(b, true));
    }

    private BatchReport report(Batch b, boolean withMailboxes) {
        Instant now = clock.instant();
        List<MailboxReport> mailboxes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Eta.Left left = Eta.Left.NONE;
        for (String address : store.members(b.domain(), b.name())) {
            Optional<MailboxReport> r = sync.mailbox(address);
            if (r.isEmpty()) {
                errors.add(address + ": in the batch but not in the mailbox list; import it");
                continue;
            }
            mailboxes.add(r.get());
            left = left.plus(Eta.left(syncStore.inventory(address), r.get().folders()));
            MailboxStatus s = r.get().status();
            if (s.phase() == MailboxStatus.Phase.FAILED || s.phase() == MailboxStatus.Phase.INCOMPLETE) {
                errors.add(address + ": " + s.phase()
                        + s.reason().map(x -> " (" + x + ")").orElse(""));
            }
        }
        for (HookRuns.Stored h : hookRuns.recent(Optional.of(b.domain()), Optional.of(b.name()), true, 20)) {
            errors.add("hook " + h.hook() + " for " + h.event()
                    + h.mailbox().map(m -> " of " + m).orElse("") + ": " + h.outcome()
                    + h.exitCode().map(c -> " (exit " + c + ")").orElse("") + " at " + h.at());
        }
        RateMeter meter = reading(b.domain(), b.name(), now);
        SyncReport r = SyncReport.of(now, b.startedAt().orElse(b.createdAt()), mailboxes, left, meter.rate());
        Optional<java.time.Duration> eta = r.eta();
        String etaReason = r.etaReason();
        if (!b.state().copies()) {
            if (r.messagesRemaining() + r.mailboxesNotListed() > 0) {
                eta = Optional.empty();
            }
            etaReason = "batch " + b.state() + ": nothing is copied until it is "
                    + (b.state() == BatchState.NEW ? "started" : "resumed") + "; " + r.etaReason();
        }
        int waiting = (int) mailboxes.stream()
                .filter(m -> m.status().phase() == MailboxStatus.Phase.PENDING)
                .count();
        OptionalDouble progress = r.mailboxesNotListed() > 0 || r.messagesCopied() + r.messagesRemaining() == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(100.0 * r.messagesCopied() / (r.messagesCopied() + r.messagesRemaining()));
        List<FinalPass> pass = b.finalPassJson().map(this::finalPasses).orElse(List.of());
        String passState = b.completedAt().isEmpty() ? "none" : b.finalPassAt().isEmpty() ? "running" : "done";
        return new BatchReport(
                b.domain(),
                b.name(),
                b.state(),
                b.createdAt(),
                b.startedAt(),
                b.pausedAt(),
                b.completedAt(),
                r.mailboxesTotal(),
                r.mailboxesSynced(),
                r.mailboxesFailed(),
                waiting,
                r.messagesCopied(),
                r.bytesCopied(),
                r.messagesRemaining(),
                r.bytesRemaining(),
                r.mailboxesNotListed(),
                progress,
                r.messagesPerSecond(),
                r.bytesPerSecond(),
                eta,
                etaReason,
                errors,
                passState,
                b.finalPassAt(),
                pass.stream().mapToLong(FinalPass::additionalMessages).sum(),
                pass,
                withMailboxes ? mailboxes : List.of());
    }

    private List<FinalPass> finalPasses(String text) {
        try {
            return json.readValue(text, FINAL_PASS);
        } catch (JsonProcessingException e) {
            LOG.warn("a batch's stored final pass cannot be read: {}", e.getOriginalMessage());
            return List.of();
        }
    }
}
