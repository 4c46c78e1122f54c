package io.mxcutover.relay.schedule;

import io.mxcutover.relay.RelayMetrics;
import io.mxcutover.relay.forward.BounceSender;
import io.mxcutover.relay.forward.Bounces;
import io.mxcutover.relay.forward.Outcome;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.forward.SmtpForwarder;
import io.mxcutover.relay.forward.Smtputf8Need;
import io.mxcutover.relay.forward.SpooledMessage;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.Route;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.spool.DeliveryStatus;
import io.mxcutover.relay.spool.FileSpool;
import io.mxcutover.relay.spool.SpoolCorruptException;
import io.mxcutover.relay.spool.SpoolEntry;
import io.mxcutover.relay.spool.SpoolId;
import io.mxcutover.relay.spool.SpoolRecovery;
import io.mxcutover.relay.spool.SpoolState;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The queue manager: in-memory index of the spool, delivery workers, retry timer. Each attempt
 * asks {@link Dispatch} where every pending recipient goes, forwards through an
 * {@link SmtpForwarder}, and carries out the {@link Disposition} of the outcomes: logs, counters,
 * notices to the sender ({@link BounceSender}), then the file's removal or deferral. The admin's
 * operations are {@link #queue()}.
 */
public final class DeliveryScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryScheduler.class);

    /**
     * @param bounceRelay where bounces to senders outside the migrated domains go (a smart host);
     *                    empty = such bounces stay queued with an alert (this relay never does
     *                    MX lookups)
     */
    public record Settings(int workers, RetrySchedule retry, String hostname, List<NextHop> bounceRelay) {
        public Settings {
            if (workers < 1) {
                throw new IllegalArgumentException("at least one delivery worker is needed");
            }
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(hostname, "hostname");
            bounceRelay = List.copyOf(bounceRelay);
        }
    }

    private record Due(Instant at, ScheduledMessage message) {}

    private static final Comparator<ScheduledMessage> BY_ARRIVAL =
            Comparator.comparing((ScheduledMessage m) -> m.entry().arrival()).thenComparing(ScheduledMessage::id);

    private final FileSpool spool;
    private final Supplier<RoutingTable> routes;
    private final Supplier<SmtpForwarder> forwarders;
    private final Settings settings;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final BounceSender bounces;
    private final ConcurrentHashMap<String, ScheduledMessage> messages = new ConcurrentHashMap<>();
    private final QueueAdmin admin;
    private final WorkerPool<ScheduledMessage> ready = new WorkerPool<>();
    private final PriorityQueue<Due> deferred = new PriorityQueue<>(Comparator.comparing(Due::at));
    private final Object timerLock = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public DeliveryScheduler(
            FileSpool spool,
            Supplier<RoutingTable> routes,
            Supplier<SmtpForwarder> forwarders,
            Settings settings,
            Clock clock,
            RelayMetrics metrics) {
        this.spool = spool;
        this.routes = routes;
        this.forwarders = forwarders;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.bounces = new BounceSender(spool, settings.hostname(), clock);
        this.admin = new QueueAdmin(messages, spool, clock, this::enqueue);
        metrics.queueGauges(messages::size, this::oldestAgeSeconds);
    }

    /** Loads what recovery found; call before {@link #start()}. */
    public void load(SpoolRecovery.Report report) {
        for (SpoolRecovery.Recovered r : report.messages()) {
            ScheduledMessage m = new ScheduledMessage(r.entry(), r.state(), r.status());
            messages.put(m.id(), m);
            if (r.state() != SpoolState.HOLD) {
                schedule(m, r.status().nextAttempt());
            }
        }
    }

    public void start() {
        running = true;
        for (int i = 0; i < settings.workers(); i++) {
            Thread t = new Thread(this::work, "relay-delivery-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Thread timer = new Thread(this::timer, "relay-retry-timer");
        timer.setDaemon(true);
        threads.add(timer);
        timer.start();
    }

    /** Intake calls this after a message is durably spooled (after the 250). */
    public void messageSpooled(SpoolEntry entry) {
        ScheduledMessage m = new ScheduledMessage(entry, SpoolState.INCOMING, DeliveryStatus.FRESH);
        messages.put(m.id(), m);
        enqueue(m);
    }

    /** The admin's view of the queue and operations on it. */
    public QueueOperations queue() {
        return admin;
    }

    public int size() {
        return messages.size();
    }

    private long oldestAgeSeconds() {
        Instant now = clock.instant();
        return messages.values().stream()
                .map(m -> m.entry().arrival())
                .min(Comparator.naturalOrder())
                .map(a -> Math.max(0, Duration.between(a, now).toSeconds()))
                .orElse(0L);
    }

    private void enqueue(ScheduledMessage m) {
        if (m.ready()) {
            ready.offer(m);
        }
    }

    private void schedule(ScheduledMessage m, Instant at) {
        if (!at.isAfter(clock.instant())) {
            enqueue(m);
            return;
        }
        synchronized (timerLock) {
            deferred.add(new Due(at, m));
            timerLock.notifyAll();
        }
    }

    /**
     * Wakes deferred messages when they are due by the injected clock. It looks at the clock at
     * least once a second, so a test clock moved forward is noticed within a second.
     */
    private void timer() {
        while (running) {
            List<ScheduledMessage> due = new ArrayList<>();
            synchronized (timerLock) {
                Instant now = clock.instant();
                while (!deferred.isEmpty() && !deferred.peek().at().isAfter(now)) {
                    due.add(deferred.poll().message());
                }
                if (due.isEmpty()) {
                    long waitMs = deferred.isEmpty()
                            ? 1000
                            : Math.min(
                                    1000,
                                    Math.max(
                                            1,
                                            Duration.between(
                                                            now, deferred.peek().at())
                                                    .toMillis()));
                    try {
                        timerLock.wait(waitMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            // Messages that fall due together (a target back after an outage, a test clock moved by
            // hours) go to the workers in order of arrival, not of their retry times, so the first to
            // arrive is the first tried again (each recipient gets its mail in the order it came).
            due.sort(BY_ARRIVAL);
            for (ScheduledMessage m : due) {
                // Stale entries (retried, held or deleted since) are filtered here. Not only DEFERRED: an
                // attempt that failed inside the relay (spool disk full while writing the status) leaves
                // the message in active/ (or incoming/) with a retry time, and it must be tried again
                // without a restart (RelayDiskFullTest).
                if (m.state() != SpoolState.HOLD && !m.status().nextAttempt().isAfter(clock.instant())) {
                    enqueue(m);
                }
            }
        }
    }

    private void work() {
        WorkerPool.Slot<ScheduledMessage> slot = ready.slot();
        try (SmtpForwarder forwarder = forwarders.get()) {
            while (running) {
                ScheduledMessage m = ready.take(slot, 1, TimeUnit.SECONDS);
                if (m == null) {
                    forwarder.closeIdle();
                    continue;
                }
                if (!m.take()) {
                    continue;
                }
                try {
                    attempt(m, forwarder);
                } catch (SpoolCorruptException e) {
                    setAside(m, e);
                } catch (NoSuchFileException e) {
                    vanished(m, e);
                } catch (IOException | RuntimeException e) {
                    LOG.error(
                            "{}: delivery attempt failed inside the relay ({}); retrying in {}",
                            m.entry().id(),
                            e.toString(),
                            settings.retry().minBackoff());
                    m.status(m.status()
                            .withNextAttempt(
                                    clock.instant().plus(settings.retry().minBackoff())));
                    schedule(m, m.status().nextAttempt());
                } finally {
                    admin.afterAttempt(m, m.attemptEnded());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A damaged message file cannot get better by waiting: move it to corrupt/ (with its status
     * file) instead of deferring it for days, and tell the admin what to do.
     */
    private void setAside(ScheduledMessage m, SpoolCorruptException e) {
        SpoolEntry entry = m.entry();
        List<String> pending = entry.envelope().recipients().stream()
                .map(MailAddress::toString)
                .filter(r -> !m.status().isFinished(r))
                .toList();
        Optional<Path> where = spool.setAside(entry.id(), m.state(), e.getMessage());
        if (where.isEmpty()) {
            LOG.error(
                    "{}: message file is damaged ({}) and could not be moved to corrupt/; it is not delivered. "
                            + "Check the spool's disk and permissions, then restart the relay",
                    entry.id(),
                    e.getMessage());
            return;
        }
        m.gone();
        messages.remove(m.id());
        metrics.corrupt();
        LOG.error(
                "{}: message file is damaged and was NOT delivered (from=<{}>, pending recipients {}): {}. "
                        + "The sender was told 250 for it, so this is the only copy. "
                        + "It is in {} (delivery status beside it as .status). Ask the sender to send it again, or repair "
                        + "the file, move it back to {} and restart the relay",
                entry.id(),
                entry.envelope().reversePath(),
                pending,
                e.getMessage(),
                where.get(),
                spool.directory(SpoolState.DEFERRED));
    }

    /** The message file was removed behind the relay's back (by hand): forget it, loudly. */
    private void vanished(ScheduledMessage m, NoSuchFileException e) {
        m.gone();
        messages.remove(m.id());
        LOG.error(
                "{}: message file {} disappeared from the spool (removed by hand?); it is dropped from the queue "
                        + "without delivery or bounce (from=<{}>, to={}). Use the queue API to delete messages",
                m.entry().id(),
                e.getFile(),
                m.entry().envelope().reversePath(),
                m.entry().envelope().recipients());
    }

    /** One delivery attempt; its log lines carry the MDC key {@code queueId} (and {@code domain} per recipient). */
    private void attempt(ScheduledMessage m, SmtpForwarder forwarder) throws IOException {
        try (MDC.MDCCloseable q = MDC.putCloseable("queueId", m.entry().id().toString())) {
            attemptOnce(m, forwarder);
        }
    }

    private void attemptOnce(ScheduledMessage m, SmtpForwarder forwarder) throws IOException {
        SpoolEntry entry = m.entry();
        SpoolId id = entry.id();
        if (m.state() != SpoolState.ACTIVE) {
            spool.move(id, m.state(), SpoolState.ACTIVE, false);
            m.moved(SpoolState.ACTIVE);
        }
        RoutingTable table = routes.get();
        // Damage shows only while the bytes are sent (the checksum is checked at the end, before
        // the final dot, so the target never accepts a damaged message); remember it.
        AtomicReference<SpoolCorruptException> damage = new AtomicReference<>();
        SpooledMessage.Source source = () -> new DamageWatch(spool.openMessage(entry, SpoolState.ACTIVE), damage);
        Map<MailAddress, Outcome> outcomes = new LinkedHashMap<>();
        Map<Dispatch.Forward, List<MailAddress>> groups = new LinkedHashMap<>();
        for (MailAddress r : entry.envelope().recipients()) {
            if (m.status().isFinished(r.toString())) {
                continue;
            }
            Dispatch d = Dispatch.of(r, Route.decide(r, table), entry.origin(), settings.bounceRelay());
            if (d instanceof Dispatch.Keep keep) {
                outcomes.put(r, keep.outcome());
            } else {
                groups.computeIfAbsent((Dispatch.Forward) d, k -> new ArrayList<>())
                        .add(r);
            }
        }
        boolean smtputf8 = !groups.isEmpty() && needsSmtpUtf8(entry);
        for (Map.Entry<Dispatch.Forward, List<MailAddress>> g : groups.entrySet()) {
            outcomes.putAll(forwarder.deliver(
                    entry.envelope().reversePath(),
                    g.getValue(),
                    g.getKey().targets(),
                    g.getKey().softBounce(),
                    smtputf8,
                    entry.envelope().eightBitMime(),
                    source));
            if (damage.get() != null) {
                throw damage.get();
            }
        }
        apply(m, outcomes);
    }

    /**
     * A message whose client declared SMTPUTF8 but whose addresses and headers are all ASCII travels as
     * an ordinary one ({@link Smtputf8Need}). When its header cannot be read here, it keeps the client's
     * declaration (the delivery itself then meets the damage).
     */
    private boolean needsSmtpUtf8(SpoolEntry entry) {
        if (!entry.envelope().smtputf8()) {
            return false;
        }
        try (InputStream in = spool.openMessage(entry, SpoolState.ACTIVE)) {
            return Smtputf8Need.needed(entry.envelope(), in);
        } catch (IOException | RuntimeException e) {
            LOG.debug(
                    "{}: header not readable to decide SMTPUTF8 ({}); keeping the client's SMTPUTF8",
                    entry.id(),
                    e.toString());
            return true;
        }
    }

    /** Carries out the {@link Disposition} of one attempt's outcomes. */
    private void apply(ScheduledMessage m, Map<MailAddress, Outcome> outcomes) throws IOException {
        SpoolEntry entry = m.entry();
        Instant now = clock.instant();
        Disposition d = Disposition.decide(
                entry.envelope().recipients(), entry.arrival(), m.status(), outcomes, now, settings.retry());
        d.fates().forEach((r, fate) -> log(entry.id(), r, fate));
        metrics.delivered(d.count(Disposition.Sent.class), Duration.between(entry.arrival(), now));
        metrics.deferred(d.count(Disposition.Delayed.class));
        if (!d.bounce().isEmpty()) {
            // The bounce is durable before the recipients are marked finished: a crash in
            // between can duplicate a bounce, never lose one.
            notifySender(entry, d.bounce(), Bounces.Action.FAILED, now);
            metrics.bounced(d.bounce().size());
        }
        if (!d.delayWarning().isEmpty()) {
            notifySender(entry, d.delayWarning(), Bounces.Action.DELAYED, now);
        }
        if (d.next() instanceof Disposition.Retry retry) {
            spool.writeStatus(entry.id(), retry.status());
            spool.move(entry.id(), m.state(), SpoolState.DEFERRED, false);
            m.moved(SpoolState.DEFERRED, retry.status());
            schedule(m, retry.status().nextAttempt());
            return;
        }
        // FRESH (the very object) means no status file was ever written for this message.
        @SuppressWarnings("ReferenceEquality") // identity on purpose: a status read from disk is never FRESH
        boolean statusWritten = m.status() != DeliveryStatus.FRESH;
        spool.remove(entry.id(), m.state(), statusWritten);
        m.gone();
        messages.remove(m.id());
    }

    /** One line per recipient, in Postfix's shape, with the recipient's domain in the MDC. */
    private void log(SpoolId id, MailAddress r, Disposition.Fate fate) {
        try (MDC.MDCCloseable d = MDC.putCloseable("domain", r.domain().toLowerCase(java.util.Locale.ROOT))) {
            logFate(id, r, fate);
        }
    }

    private void logFate(SpoolId id, MailAddress r, Disposition.Fate fate) {
        if (fate instanceof Disposition.Sent s) {
            LOG.info(
                    "{}: to=<{}>, relay={}, status=sent ({})",
                    id,
                    r,
                    s.outcome().target(),
                    s.outcome().reply());
        } else if (fate instanceof Disposition.Bounced) {
            LOG.info("{}: to=<{}>, status=bounced ({})", id, r, fate.outcome().summary());
        } else if (fate instanceof Disposition.Expired) {
            LOG.info(
                    "{}: to=<{}>, status=expired after {} ({})",
                    id,
                    r,
                    settings.retry().maxLifetime(),
                    fate.outcome().summary());
        } else if (((Disposition.Delayed) fate).outcome().alert()) {
            LOG.warn(
                    "{}: to=<{}>, status=deferred, ADMIN ATTENTION: {}",
                    id,
                    r,
                    fate.outcome().summary());
        } else {
            LOG.info("{}: to=<{}>, status=deferred ({})", id, r, fate.outcome().summary());
        }
    }

    private void notifySender(SpoolEntry entry, List<Bounces.Failure> lines, Bounces.Action action, Instant now)
            throws IOException {
        Optional<SpoolEntry> report = bounces.send(entry, lines, action, now);
        if (report.isPresent()) {
            metrics.spooled();
            messageSpooled(report.get());
        }
    }

    /** Passes the spool stream through and records a {@link SpoolCorruptException} it throws. */
    private static final class DamageWatch extends FilterInputStream {
        private final AtomicReference<SpoolCorruptException> damage;

        DamageWatch(InputStream in, AtomicReference<SpoolCorruptException> damage) {
            super(in);
            this.damage = damage;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (SpoolCorruptException e) {
                damage.compareAndSet(null, e);
                throw e;
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SpoolCorruptException e) {
                damage.compareAndSet(null, e);
                throw e;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        ready.close();
        synchronized (timerLock) {
            timerLock.notifyAll();
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
