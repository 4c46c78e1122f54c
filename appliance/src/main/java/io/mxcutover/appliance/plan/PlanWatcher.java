package io.mxcutover.appliance.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the plan in force and swaps it when the file changes.
 *
 * <p>Every {@code interval} the file's bytes are compared (by SHA-256) with the plan in force; a change is
 * read and validated as a whole, and only a valid plan replaces the old one, atomically. An invalid edit is
 * logged with every problem (file, line, key, fix) and the previous plan stays in force. Content, not
 * mtime, is compared, so two edits within one clock tick are not missed and a touch is not a reload.
 */
public final class PlanWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlanWatcher.class);

    private final Path file;
    private final AtomicReference<MigrationPlan> current;
    private final AtomicReference<List<PlanProblem>> lastRefused = new AtomicReference<>(List.of());
    private final List<Consumer<MigrationPlan>> listeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService timer;
    private Optional<String> refusedFingerprint = Optional.empty();

    private final java.util.Set<String> ownHosts;

    private PlanWatcher(Path file, MigrationPlan initial, java.util.Set<String> ownHosts) {
        this.file = file;
        this.current = new AtomicReference<>(initial);
        this.ownHosts = java.util.Set.copyOf(ownHosts);
    }

    /** Reads the plan for the first time; fails with every problem when it is invalid. */
    public static PlanWatcher open(Path file) throws InvalidPlanException {
        return open(file, java.util.Set.of());
    }

    /** As {@link #open(Path)}; {@code ownHosts} (the relay's host name) must not be a domain's {@code new.mx}. */
    public static PlanWatcher open(Path file, java.util.Set<String> ownHosts) throws InvalidPlanException {
        PlanReader.Result r = PlanReader.read(file, ownHosts);
        if (!r.ok()) throw new InvalidPlanException(r.problems());
        return new PlanWatcher(file, r.plan().orElseThrow(), ownHosts);
    }

    public MigrationPlan current() {
        return current.get();
    }

    public Path file() {
        return file;
    }

    /** Problems of the last refused edit, empty when the file on disk is the plan in force. */
    public List<PlanProblem> lastRefused() {
        return lastRefused.get();
    }

    /** Called with the new plan after each successful swap (on the watcher's thread). */
    public void onChange(Consumer<MigrationPlan> listener) {
        listeners.add(listener);
    }

    public synchronized void start(long intervalMillis) {
        if (timer != null) return;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plan-watcher");
            t.setDaemon(true);
            return t;
        });
        var unused =
                timer.scheduleWithFixedDelay(this::checkQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
        timer = null;
    }

    /**
     * Reads the file now. Returns the problems when the file is refused, empty when it is in force
     * (changed or not).
     */
    public synchronized List<PlanProblem> reload() {
        if (!Files.isReadable(file)) {
            List<PlanProblem> p = List.of(new PlanProblem(
                    file,
                    0,
                    "",
                    "the plan file is gone or unreadable",
                    "restore it; the previous plan stays in force"));
            refuse(p);
            return p;
        }
        PlanReader.Result r = PlanReader.read(file, ownHosts);
        if (!r.ok()) {
            refuse(r.problems());
            return r.problems();
        }
        MigrationPlan next = r.plan().orElseThrow();
        lastRefused.set(List.of());
        MigrationPlan previous = current.getAndSet(next);
        if (!previous.fingerprint().equals(next.fingerprint())) {
            LOG.info("Plan {} reloaded: domains {} (was {})", file, next.domainNames(), previous.domainNames());
            for (Consumer<MigrationPlan> l : listeners) {
                try {
                    l.accept(next);
                } catch (RuntimeException e) {
                    LOG.error("A part of the appliance failed to take the new plan {}: {}", file, e.toString(), e);
                }
            }
        }
        return List.of();
    }

    private void checkQuietly() {
        try {
            Optional<String> fp = fingerprintOnDisk();
            boolean changed = fp.isEmpty() || !fp.get().equals(current.get().fingerprint());
            boolean alreadyRefused = !lastRefused.get().isEmpty() && fp.equals(refusedFingerprint);
            if (changed && !alreadyRefused) {
                refusedFingerprint = fp;
                reload();
            }
        } catch (RuntimeException e) {
            LOG.error("Checking plan {} for changes failed: {}", file, e.toString(), e);
        }
    }

    private Optional<String> fingerprintOnDisk() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    private void refuse(List<PlanProblem> problems) {
        lastRefused.set(List.copyOf(problems));
        LOG.error(
                "Plan edit refused, the previous plan stays in force ({} problem(s)):{}",
                problems.size(),
                problems.stream().map(p -> "\n  " + p).reduce("", String::concat));
    }
}
