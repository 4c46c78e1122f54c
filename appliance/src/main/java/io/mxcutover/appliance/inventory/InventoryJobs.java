package io.mxcutover.appliance.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.lifecycle.Managed;
import io.mxcutover.appliance.sync.SyncManaged;
import io.mxcutover.sync.inventory.CopyEstimate;
import io.mxcutover.sync.inventory.InventoryReport;
import io.mxcutover.sync.inventory.InventoryTable;
import io.mxcutover.sync.inventory.PassLog;
import io.mxcutover.sync.run.SyncService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a domain's inventory in the background (one at a time per domain; a second request while one runs gets
 * the running one), keeps its progress (mailboxes done of total) in the store as it goes and the report when
 * it is done, and compares the estimate with the real history copy once the sync has made it.
 */
public final class InventoryJobs implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryJobs.class);

    private final SyncManaged sync;
    private final InventoryRecords records;
    private final PassLog passes;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "inventory-domain");
        t.setDaemon(true);
        return t;
    });

    public InventoryJobs(SyncManaged sync, DataSource dataSource, ObjectMapper json, Clock clock) {
        this.sync = sync;
        this.records = new InventoryRecords(dataSource);
        this.passes = new PassLog(dataSource);
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void start() {}

    @Override
    public void stop() {
        runner.shutdownNow();
    }

    /** Starts the domain's inventory unless one runs; empty when the domain has no IMAP on both sides in the plan. */
    public Optional<ObjectNode> start(String domain, String requestedBy) {
        String d = domain.toLowerCase(Locale.ROOT);
        Optional<SyncService> service = sync.service(d);
        if (service.isEmpty()) {
            return Optional.empty();
        }
        if (running.putIfAbsent(d, Boolean.TRUE) == null) {
            int total = (int) service.get().mailboxes().stream()
                    .filter(m -> service.get().settings().admits(m.address()))
                    // as SyncService.inventory: a mailbox waiting for its user's password cannot be listed yet
                    .filter(m -> m.phase() != io.mxcutover.sync.state.MailboxStatus.Phase.AWAITING_USER)
                    .count();
            try {
                records.started(d, requestedBy, clock.instant(), total);
                LOG.info("domain {}: inventory of {} mailbox(es) started by {}", d, total, requestedBy);
                runner.execute(() -> run(d, service.get()));
            } catch (RuntimeException e) {
                running.remove(d);
                throw e;
            }
        }
        return Optional.of(view(d));
    }

    private void run(String domain, SyncService service) {
        try {
            InventoryReport report = service.inventory(a -> true, (done, total) -> records.progress(domain, done));
            records.finished(domain, clock.instant(), json.writeValueAsString(InventoryJson.of(report, json)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            records.failed(domain, clock.instant(), "stopped: the appliance shut down during the inventory");
        } catch (Exception e) {
            LOG.error("domain {}: inventory failed", domain, e);
            records.failed(domain, clock.instant(), "inventory failed: " + e.getMessage());
        } finally {
            running.remove(domain);
        }
    }

    /**
     * What the API shows: the run (state, who, when, mailboxes done of total), the stored report, and the
     * estimate against the real history copy (from the sync's passes of the mailboxes the report listed).
     */
    public ObjectNode view(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        ObjectNode out = json.createObjectNode();
        out.put("domain", d);
        Optional<InventoryRecords.Stored> stored = records.of(d);
        if (stored.isEmpty()) {
            out.putNull("run");
            out.putNull("report");
            out.putNull("copy");
            return out;
        }
        InventoryRecords.Stored s = stored.get();
        ObjectNode run = out.putObject("run");
        // A row still 'running' that no thread of this appliance runs was cut short by a restart.
        run.put("state", s.state().equals("running") && !running.containsKey(d) ? "interrupted" : s.state());
        run.put("requestedBy", s.requestedBy());
        run.put("startedAt", s.startedAt().toString());
        run.put("finishedAt", s.finishedAt().map(Instant::toString).orElse(null));
        run.put("mailboxesTotal", s.mailboxesTotal());
        run.put("mailboxesDone", s.mailboxesDone());
        run.put("error", s.error().orElse(null));
        if (s.report().isEmpty()) {
            out.putNull("report");
            out.putNull("copy");
            return out;
        }
        JsonNode report;
        try {
            report = json.readTree(s.report().get());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the stored inventory of " + d + " is not JSON: " + e.getMessage(), e);
        }
        out.set("report", report);
        out.set("copy", copy(report));
        return out;
    }

    /**
     * The estimate next to the real copy, for the domain report: empty before an inventory finished. Read
     * from the same view the API shows, so both say the same.
     */
    public Optional<io.mxcutover.appliance.cutover.CopyTiming> copyTiming(String domain) {
        ObjectNode v = view(domain);
        JsonNode copy = v.path("copy");
        if (!copy.isObject()) {
            return Optional.empty();
        }
        JsonNode rate = v.path("report").path("estimate").path("rate");
        boolean done = copy.path("state").asText().equals("done");
        return Optional.of(new io.mxcutover.appliance.cutover.CopyTiming(
                copy.path("estimatedSeconds").asDouble(),
                copy.path("estimate").asText(),
                rate.path("source").asText() + ": " + rate.path("basis").asText(),
                copy.path("state").asText(),
                done ? Optional.of(copy.path("actualSeconds").asDouble()) : Optional.empty(),
                done ? Optional.of(copy.path("actual").asText()) : Optional.empty(),
                done ? Optional.of(copy.path("ratio").asDouble()) : Optional.empty(),
                done ? Optional.of(copy.path("withinTolerance").asBoolean()) : Optional.empty()));
    }

    /** The estimate against the real copy: not started, running (n of N mailboxes copied), or done with both. */
    private ObjectNode copy(JsonNode report) {
        ObjectNode out = json.createObjectNode();
        double estimated = report.path("estimate").path("seconds").asDouble();
        out.put("estimatedSeconds", estimated);
        out.put("estimate", report.path("estimate").path("text").asText());
        List<String> listed = InventoryJson.listed(report);
        PassLog.HistoryCopy history = passes.historyCopy(listed);
        out.put("mailboxes", listed.size());
        out.put("mailboxesCopied", (int)
                listed.stream().filter(history.firstCopied()::containsKey).count());
        Optional<Duration> took = history.took(listed);
        if (history.firstPassStarted().isEmpty()) {
            out.put("state", "not started");
        } else if (took.isEmpty()) {
            out.put("state", "running");
            out.put("startedAt", history.firstPassStarted().get().toString());
        } else {
            out.put("state", "done");
            out.put("startedAt", history.firstPassStarted().get().toString());
            double actual = took.get().toMillis() / 1000.0;
            out.put("actualSeconds", actual);
            out.put("actual", InventoryTable.duration(took.get()));
            out.put("ratio", estimated > 0 ? Math.round(actual / estimated * 100) / 100.0 : 0);
            out.put(
                    "withinTolerance",
                    CopyEstimate.withinTolerance(Duration.ofMillis(Math.round(estimated * 1000)), took.get()));
        }
        return out;
    }
}
