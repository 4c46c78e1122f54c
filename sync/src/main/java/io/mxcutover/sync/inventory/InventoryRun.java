package io.mxcutover.sync.inventory;

import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.throttle.ServerGates;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inventory of many mailboxes, {@code parallelism} at a time; one mailbox that fails (its login refused, a
 * server error) is reported and the others go on. Then the estimate: the copy rate from this appliance's own
 * passes against the same servers ({@link PassLog}), else a {@link SampleCopy} on the mailbox with the most
 * bytes, else {@link CopyRate#DEFAULT}; laid out by {@link CopyEstimate} for the same parallelism.
 */
public final class InventoryRun {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryRun.class);

    /** Told after each mailbox, from the inventory's threads. */
    @FunctionalInterface
    public interface Progress {
        void mailboxDone(int done, int total);
    }

    private final InventorySettings settings;
    private final Clock clock;
    private final Optional<PassLog> passes;

    public InventoryRun(InventorySettings settings, Clock clock, Optional<PassLog> passes) {
        this.settings = settings;
        this.clock = clock;
        this.passes = passes;
    }

    public InventoryReport run(List<MailboxAccount> accounts, Progress progress) throws InterruptedException {
        Instant started = clock.instant();
        LOG.info(
                "inventory of {} mailbox(es) on {} started, {} at a time",
                accounts.size(),
                settings.source(),
                settings.parallelism());
        InventoryTaker taker = new InventoryTaker(settings, clock);
        ExecutorService pool = Executors.newFixedThreadPool(settings.parallelism(), r -> {
            Thread t = new Thread(r, "inventory-mailbox");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        List<Future<InventoryTaker.Taken>> futures = new ArrayList<>();
        try {
            for (MailboxAccount a : accounts) {
                futures.add(pool.submit(() -> {
                    try {
                        return taker.take(a);
                    } finally {
                        progress.mailboxDone(done.incrementAndGet(), accounts.size());
                    }
                }));
            }
            List<MailboxInventory> mailboxes = new ArrayList<>();
            Map<String, Long> over = new HashMap<>();
            OptionalLong limit = OptionalLong.empty();
            for (int i = 0; i < futures.size(); i++) {
                InventoryTaker.Taken t;
                try {
                    t = futures.get(i).get();
                } catch (ExecutionException e) {
                    LOG.error(
                            "inventory of {} failed unexpectedly",
                            accounts.get(i).address(),
                            e.getCause());
                    t = new InventoryTaker.Taken(
                            MailboxInventory.failed(
                                    accounts.get(i).address(),
                                    MailboxInventory.Outcome.FAILED,
                                    "internal error: " + e.getCause(),
                                    java.time.Duration.ZERO),
                            OptionalLong.empty(),
                            0);
                }
                mailboxes.add(t.inventory());
                if (t.overAppendLimit() > 0) {
                    over.put(t.inventory().address(), t.overAppendLimit());
                }
                if (limit.isEmpty() && t.appendLimit().isPresent()) {
                    limit = t.appendLimit();
                }
            }
            CopyRate rate = rate(accounts, mailboxes);
            CopyEstimate estimate = CopyEstimate.of(mailboxes, rate, settings.parallelism());
            Instant finished = clock.instant();
            LOG.info(
                    "inventory done: {} mailbox(es), {} message(s), {} bytes; estimate {} ({})",
                    mailboxes.size(),
                    estimate.messages(),
                    estimate.bytes(),
                    estimate.duration(),
                    rate.basis());
            return new InventoryReport(
                    started,
                    finished,
                    settings.source().toString(),
                    settings.target().map(Object::toString),
                    limit.isPresent() ? Optional.of(limit.getAsLong()) : Optional.empty(),
                    mailboxes,
                    over,
                    DomainTotals.of(mailboxes, over),
                    estimate);
        } finally {
            pool.shutdownNow();
        }
    }

    private CopyRate rate(List<MailboxAccount> accounts, List<MailboxInventory> mailboxes) {
        if (settings.target().isEmpty()) {
            return CopyRate.DEFAULT;
        }
        String source = ServerGates.key(settings.source());
        String target = ServerGates.key(settings.target().get());
        Optional<CopyRate> measured = passes.flatMap(p -> p.measuredRate(source, target, clock.instant()));
        if (measured.isPresent()) {
            return measured.get();
        }
        if (!settings.sample()) {
            return CopyRate.DEFAULT;
        }
        Optional<MailboxInventory> biggest = mailboxes.stream()
                .filter(m -> m.outcome() == MailboxInventory.Outcome.LISTED
                        && m.newServerProblem().isEmpty()
                        && m.messages() > 0)
                .max(Comparator.comparingLong(MailboxInventory::bytes));
        if (biggest.isEmpty()) {
            return CopyRate.DEFAULT;
        }
        MailboxInventory m = biggest.get();
        String folder = m.folders().stream()
                .filter(f -> f.fate() != FolderCount.Fate.REFUSED)
                .max(Comparator.comparingLong(FolderCount::messages))
                .map(FolderCount::sourceFolder)
                .orElse("INBOX");
        MailboxAccount account = accounts.stream()
                .filter(a -> a.address().equals(m.address()))
                .findFirst()
                .orElseThrow();
        return new SampleCopy(settings, clock).measure(account, folder).orElse(CopyRate.DEFAULT);
    }
}
