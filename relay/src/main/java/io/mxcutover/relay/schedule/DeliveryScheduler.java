package io.mxcutover.relay.schedule;

import io.mxcutover.relay.RelayMetrics;
import io.mxcutover.relay.forward.Bounces;
import io.mxcutover.relay.forward.Outcome;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.forward.SmtpForwarder;
import io.mxcutover.relay.forward.Smtputf8Need;
import io.mxcutover.relay.forward.SpooledMessage;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.Route;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.smtp.Envelope;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.smtp.SmtpReply;
import io.mxcutover.relay.spool.DeliveryStatus;
import io.mxcutover.relay.spool.FileSpool;
import io.mxcutover.relay.spool.SpoolCorruptException;
import io.mxcutover.relay.spool.SpoolEntry;
import io.mxcutover.relay.spool.SpoolId;
import io.mxcutover.relay.spool.SpoolRecovery;
import io.mxcutover.relay.spool.SpoolState;
import io.mxcutover.relay.spool.SpoolWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
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

/**
 * The queue manager: in-memory index of the spool, delivery workers, retry timer, bounces.
 * Protocol-free: it talks to targets only through {@link SmtpForwarder}s.
 */
public final class DeliveryScheduler implements QueueOperations, AutoCloseable {

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

    private static final class Item {
        final SpoolEntry entry;
        SpoolState state;
        DeliveryStatus status;
        boolean busy;
        boolean queued;
        boolean holdRequested;
        boolean deleteRequested;
        boolean gone;

        Item(SpoolEntry entry, SpoolState state, DeliveryStatus status) {
            this.entry = entry;
            this.state = state;
            this.status = status;
        }
    }

    private record Due(Instant at, Item item) {}

    private final FileSpool spool;
    private final Supplier<RoutingTable> routes;
    private final Supplier<SmtpForwarder> forwarders;
    private final Settings settings;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final ConcurrentHashMap<String, Item> items = new ConcurrentHashMap<>();
    private final WorkerPool<Item> ready = new WorkerPool<>();
    private final PriorityQueue<Due> deferred = new PriorityQueue<>(Comparator.comparing(Due::at));
    private final Object timerLock = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public DeliveryScheduler(FileSpool spool, Supplier<RoutingTable> routes, Supplier<SmtpForwarder> forwarders,
                             Settings settings, Clock clock, RelayMetrics metrics) {
        this.spool = spool;
        this.routes = routes;
        this.forwarders = forwarders;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        metrics.queueGauges(items::size, this::oldestAgeSeconds);
    }

    /** Loads what recovery found; call before {@link #start()}. */
    public void load(SpoolRecovery.Report report) {
        for (SpoolRecovery.Recovered r : report.messages()) {
            Item item = new Item(r.entry(), r.state(), r.status());
            items.put(r.entry().id().value(), item);
            if (r.state() != SpoolState.HOLD) {
                schedule(item, r.status().nextAttempt());
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
        Item item = new Item(entry, SpoolState.INCOMING, DeliveryStatus.FRESH);
        items.put(entry.id().value(), item);
        enqueue(item);
    }

    public int size() {
        return items.size();
    }

    private long oldestAgeSeconds() {
        Instant now = clock.instant();
        return items.values().stream().map(i -> i.entry.arrival()).min(Comparator.naturalOrder())
                .map(a -> Math.max(0, Duration.between(a, now).toSeconds())).orElse(0L);
    }

    private void enqueue(Item item) {
        synchronized (item) {
            if (item.queued || item.gone || item.state == SpoolState.HOLD) {
                return;
            }
            item.queued = true;
        }
        ready.offer(item);
    }

    private void schedule(Item item, Instant at) {
        if (!at.isAfter(clock.instant())) {
            enqueue(item);
            return;
        }
        synchronized (timerLock) {
            deferred.add(new Due(at, item));
            timerLock.notifyAll();
        }
    }

    private void timer() {
        while (running) {
            List<Item> due = new ArrayList<>();
            synchronized (timerLock) {
                Instant now = clock.instant();
                while (!deferred.isEmpty() && !deferred.peek().at().isAfter(now)) {
                    due.add(deferred.poll().item());
                }
                if (due.isEmpty()) {
                    long waitMs = deferred.isEmpty() ? 1000
                            : Math.min(1000, Math.max(1, Duration.between(now, deferred.peek().at()).toMillis()));
                    try {
                        timerLock.wait(waitMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            for (Item item : due) {
                // Stale entries (retried, held or deleted since) are filtered here.
                if (item.state == SpoolState.DEFERRED && !item.status.nextAttempt().isAfter(clock.instant())) {
                    enqueue(item);
                }
            }
        }
    }

    private void work() {
        WorkerPool.Slot<Item> slot = ready.slot();
        try (SmtpForwarder forwarder = forwarders.get()) {
            while (running) {
                Item item = ready.take(slot, 1, TimeUnit.SECONDS);
                if (item == null) {
                    forwarder.closeIdle();
                    continue;
                }
                synchronized (item) {
                    item.queued = false;
                    if (item.busy || item.gone || item.state == SpoolState.HOLD) {
                        continue;
                    }
                    item.busy = true;
                }
                try {
                    attempt(item, forwarder);
                } catch (SpoolCorruptException e) {
                    setAside(item, e);
                } catch (NoSuchFileException e) {
                    vanished(item, e);
                } catch (IOException | RuntimeException e) {
                    LOG.error("{}: delivery attempt failed inside the relay ({}); retrying in {}", item.entry.id(),
                            e.toString(), settings.retry().minBackoff());
                    synchronized (item) {
                        item.status = item.status.withNextAttempt(clock.instant().plus(settings.retry().minBackoff()));
                    }
                    schedule(item, item.status.nextAttempt());
                } finally {
                    afterAttempt(item);
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
    private void setAside(Item item, SpoolCorruptException e) {
        SpoolEntry entry = item.entry;
        List<String> pending = entry.envelope().recipients().stream().map(MailAddress::toString)
                .filter(r -> !item.status.isFinished(r)).toList();
        Optional<java.nio.file.Path> where = spool.setAside(entry.id(), item.state, e.getMessage());
        synchronized (item) {
            item.gone = where.isPresent();
        }
        if (where.isEmpty()) {
            LOG.error("{}: message file is damaged ({}) and could not be moved to corrupt/; it is not delivered. "
                    + "Check the spool's disk and permissions, then restart the relay", entry.id(), e.getMessage());
            return;
        }
        items.remove(entry.id().value());
        metrics.corrupt();
        LOG.error("{}: message file is damaged and was NOT delivered (from=<{}>, pending recipients {}): {}. "
                + "The sender was told 250 for it, so this is the only copy. "
                + "It is in {} (delivery status beside it as .status). Ask the sender to send it again, or repair "
                + "the file, move it back to {} and restart the relay", entry.id(), entry.envelope().reversePath(),
                pending, e.getMessage(), where.get(), spool.directory(SpoolState.DEFERRED));
    }

    /** The message file was removed behind the relay's back (by hand): forget it, loudly. */
    private void vanished(Item item, NoSuchFileException e) {
        synchronized (item) {
            item.gone = true;
        }
        items.remove(item.entry.id().value());
        LOG.error("{}: message file {} disappeared from the spool (removed by hand?); it is dropped from the queue "
                + "without delivery or bounce (from=<{}>, to={}). Use the queue API to delete messages",
                item.entry.id(), e.getFile(), item.entry.envelope().reversePath(), item.entry.envelope().recipients());
    }

    private void afterAttempt(Item item) {
        boolean hold;
        boolean delete;
        synchronized (item) {
            item.busy = false;
            hold = item.holdRequested;
            delete = item.deleteRequested;
            item.holdRequested = false;
            item.deleteRequested = false;
        }
        if (delete && !item.gone) {
            delete(item.entry.id().value());
        } else if (hold && !item.gone) {
            hold(item.entry.id().value());
        }
    }

    private void attempt(Item item, SmtpForwarder forwarder) throws IOException {
        SpoolEntry entry = item.entry;
        SpoolId id = entry.id();
        if (item.state != SpoolState.ACTIVE) {
            spool.move(id, item.state, SpoolState.ACTIVE, false);
            item.state = SpoolState.ACTIVE;
        }
        RoutingTable table = routes.get();
        // Damage shows only while the bytes are sent (the checksum is checked at the end, before
        // the final dot, so the target never accepts a damaged message); remember it.
        AtomicReference<SpoolCorruptException> damage = new AtomicReference<>();
        SpooledMessage.Source source = () -> new DamageWatch(spool.openMessage(entry, SpoolState.ACTIVE), damage);
        List<MailAddress> pending = new ArrayList<>();
        for (MailAddress r : entry.envelope().recipients()) {
            if (!item.status.isFinished(r.toString())) {
                pending.add(r);
            }
        }
        Map<MailAddress, Outcome> outcomes = new LinkedHashMap<>();
        Map<List<Object>, List<MailAddress>> groups = new LinkedHashMap<>();
        for (MailAddress r : pending) {
            Route route = Route.decide(r, table);
            if (route instanceof Route.Hold h) {
                outcomes.put(r, Outcome.Deferred.alert(h.reason()));
            } else if (route instanceof Route.NotOurs n) {
                if (entry.origin() == SpoolEntry.Origin.BOUNCE && !settings.bounceRelay().isEmpty()) {
                    groups.computeIfAbsent(List.of(settings.bounceRelay(), false), k -> new ArrayList<>()).add(r);
                } else if (entry.origin() == SpoolEntry.Origin.BOUNCE) {
                    outcomes.put(r, Outcome.Deferred.alert("bounce to " + r + " needs a bounce relay (smart host): "
                            + "this relay does no MX lookups; configure relay.bounceRelay"));
                } else {
                    outcomes.put(r, Outcome.Deferred.alert("domain " + n.domain()
                            + " is no longer in the migration plan; message kept queued"));
                }
            } else {
                groups.computeIfAbsent(List.of(route.targets(), route.softBounce()), k -> new ArrayList<>()).add(r);
            }
        }
        boolean smtputf8 = !groups.isEmpty() && needsSmtpUtf8(entry);
        for (Map.Entry<List<Object>, List<MailAddress>> g : groups.entrySet()) {
            @SuppressWarnings("unchecked")
            List<NextHop> targets = (List<NextHop>) g.getKey().get(0);
            boolean softBounce = (Boolean) g.getKey().get(1);
            outcomes.putAll(forwarder.deliver(entry.envelope().reversePath(), g.getValue(), targets, softBounce,
                    smtputf8, entry.envelope().eightBitMime(), source));
            if (damage.get() != null) {
                throw damage.get();
            }
        }
        apply(item, outcomes);
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
            LOG.debug("{}: header not readable to decide SMTPUTF8 ({}); keeping the client's SMTPUTF8", entry.id(),
                    e.toString());
            return true;
        }
    }

    private void apply(Item item, Map<MailAddress, Outcome> outcomes) throws IOException {
        SpoolEntry entry = item.entry;
        Instant now = clock.instant();
        RetrySchedule schedule = settings.retry();
        boolean expired = schedule.expired(entry.arrival(), now);
        Map<String, String> finished = new LinkedHashMap<>();
        List<Bounces.Failure> failures = new ArrayList<>();
        List<Bounces.Failure> delays = new ArrayList<>();
        int delivered = 0;
        int deferredCount = 0;
        String lastReply = "";
        for (Map.Entry<MailAddress, Outcome> e : outcomes.entrySet()) {
            MailAddress r = e.getKey();
            Outcome o = e.getValue();
            lastReply = o.summary();
            if (o instanceof Outcome.Delivered d) {
                LOG.info("{}: to=<{}>, relay={}, status=sent ({})", entry.id(), r, d.target(), d.reply());
                finished.put(r.toString(), "delivered");
                delivered++;
            } else if (o instanceof Outcome.Rejected rej) {
                LOG.info("{}: to=<{}>, status=bounced ({})", entry.id(), r, o.summary());
                finished.put(r.toString(), "bounced");
                failures.add(new Bounces.Failure(r, Bounces.status(rej.reply()), rej.reply().toString(), ""));
            } else {
                Outcome.Deferred d = (Outcome.Deferred) o;
                if (expired) {
                    LOG.info("{}: to=<{}>, status=expired after {} ({})", entry.id(), r, schedule.maxLifetime(),
                            o.summary());
                    finished.put(r.toString(), "bounced");
                    failures.add(new Bounces.Failure(r, "4.4.7", "message expired after "
                            + schedule.maxLifetime().toHours() + " hours; last problem: " + o.summary(), ""));
                } else {
                    if (d.alert()) {
                        LOG.warn("{}: to=<{}>, status=deferred, ADMIN ATTENTION: {}", entry.id(), r, o.summary());
                    } else {
                        LOG.info("{}: to=<{}>, status=deferred ({})", entry.id(), r, o.summary());
                    }
                    deferredCount++;
                    delays.add(new Bounces.Failure(r, d.reply().map(Bounces::status).orElse("4.0.0"), o.summary(), ""));
                }
            }
        }
        metrics.delivered(delivered);
        metrics.deferred(deferredCount);
        DeliveryStatus status = item.status;
        if (!failures.isEmpty()) {
            // The bounce is durable before the recipients are marked finished: a crash in
            // between can duplicate a bounce, never lose one.
            sendReport(entry, failures, Bounces.Action.FAILED, now);
            metrics.bounced(failures.size());
        }
        if (!delays.isEmpty() && !status.delayWarned() && schedule.delayWarningDue(entry.arrival(), now)) {
            sendReport(entry, delays, Bounces.Action.DELAYED, now);
            status = status.withDelayWarned();
        }
        status = status.withFinished(finished);
        boolean allDone = entry.envelope().recipients().stream().allMatch(r -> finishedIn(r, item, finished));
        if (allDone) {
            // FRESH (the very object) means no status file was ever written for this message.
            spool.remove(entry.id(), item.state, !item.status.equals(DeliveryStatus.FRESH));
            synchronized (item) {
                item.gone = true;
            }
            items.remove(entry.id().value());
            return;
        }
        Instant next = RetrySchedule.nextAttempt(status.attempts() + 1, entry.arrival(), now, schedule);
        status = status.afterAttempt(next, lastReply);
        spool.writeStatus(entry.id(), status);
        spool.move(entry.id(), item.state, SpoolState.DEFERRED, false);
        synchronized (item) {
            item.state = SpoolState.DEFERRED;
            item.status = status;
        }
        schedule(item, next);
    }

    private static boolean finishedIn(MailAddress r, Item item, Map<String, String> finishedNow) {
        return item.status.isFinished(r.toString()) || finishedNow.containsKey(r.toString());
    }

    private void sendReport(SpoolEntry entry, List<Bounces.Failure> failures, Bounces.Action action, Instant now)
            throws IOException {
        if (entry.envelope().hasNullSender()) {
            LOG.info("{}: not sending a {} notice: the sender is null (<>)", entry.id(),
                    action == Bounces.Action.FAILED ? "bounce" : "delay");
            return;
        }
        String sender = entry.envelope().reversePath();
        MailAddress to;
        try {
            to = MailAddress.of(sender);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: cannot send a {} notice to sender <{}>: not a plain mailbox address", entry.id(),
                    action.name().toLowerCase(java.util.Locale.ROOT), sender);
            return;
        }
        byte[] dsn;
        try (InputStream original = spool.openMessage(entry, SpoolState.ACTIVE)) {
            dsn = Bounces.build(entry.id().value(), sender, entry.arrival(), failures, action, settings.hostname(), now,
                    original);
        }
        SpoolId bounceId = SpoolId.generate(clock);
        Envelope env = new Envelope(Optional.empty(), List.of(to));
        SpoolEntry bounce;
        try (SpoolWriter w = spool.begin(bounceId, "127.0.0.1", settings.hostname(), SpoolEntry.Origin.BOUNCE, env)) {
            w.write(dsn);
            bounce = w.commit();
        }
        metrics.spooled();
        LOG.info("{}: sender non-delivery notification: {} ({} to <{}>)", entry.id(), bounceId,
                action == Bounces.Action.FAILED ? "bounce" : "delay warning", sender);
        messageSpooled(bounce);
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

    // ---- QueueOperations -------------------------------------------------------------

    @Override
    public List<QueuedMessage> list() {
        return items.values().stream().map(this::view)
                .sorted(Comparator.comparing(QueuedMessage::arrival).thenComparing(QueuedMessage::id)).toList();
    }

    @Override
    public Optional<QueuedMessage> show(String id) {
        Item item = find(id);
        return item == null ? Optional.empty() : Optional.of(view(item));
    }

    private QueuedMessage view(Item item) {
        synchronized (item) {
            SpoolEntry e = item.entry;
            List<String> pending = e.envelope().recipients().stream().map(MailAddress::toString)
                    .filter(r -> !item.status.isFinished(r)).toList();
            Instant now = clock.instant();
            return new QueuedMessage(e.id().value(), e.envelope().reversePath(), pending, e.arrival(),
                    Duration.between(e.arrival(), now).isNegative() ? Duration.ZERO : Duration.between(e.arrival(), now),
                    item.status.attempts(), item.status.nextAttempt(),
                    item.state.directory(), item.status.lastReply(), e.messageLength(),
                    e.origin() == SpoolEntry.Origin.BOUNCE);
        }
    }

    private Item find(String id) {
        if (id == null) {
            return null;
        }
        String key = id.strip().toUpperCase(java.util.Locale.ROOT);
        return SpoolId.isValid(key) ? items.get(key) : null;
    }

    @Override
    public boolean retryNow(String id) {
        Item item = find(id);
        if (item == null || item.state == SpoolState.HOLD) {
            return false;
        }
        synchronized (item) {
            item.status = item.status.withNextAttempt(clock.instant());
        }
        LOG.info("{}: retry requested by admin", item.entry.id());
        enqueue(item);
        return true;
    }

    @Override
    public boolean hold(String id) {
        Item item = find(id);
        if (item == null) {
            return false;
        }
        synchronized (item) {
            if (item.state == SpoolState.HOLD) {
                return true;
            }
            if (item.busy) {
                item.holdRequested = true;
                return true;
            }
            try {
                spool.move(item.entry.id(), item.state, SpoolState.HOLD, true);
                item.state = SpoolState.HOLD;
            } catch (IOException e) {
                LOG.error("{}: cannot put on hold: {}", item.entry.id(), e.toString());
                return false;
            }
        }
        LOG.info("{}: put on hold by admin", item.entry.id());
        return true;
    }

    @Override
    public boolean release(String id) {
        Item item = find(id);
        if (item == null) {
            return false;
        }
        synchronized (item) {
            if (item.state != SpoolState.HOLD) {
                return false;
            }
            try {
                spool.move(item.entry.id(), SpoolState.HOLD, SpoolState.DEFERRED, true);
                item.state = SpoolState.DEFERRED;
                item.status = item.status.withNextAttempt(clock.instant());
            } catch (IOException e) {
                LOG.error("{}: cannot release from hold: {}", item.entry.id(), e.toString());
                return false;
            }
        }
        LOG.info("{}: released from hold by admin", item.entry.id());
        enqueue(item);
        return true;
    }

    @Override
    public boolean delete(String id) {
        Item item = find(id);
        if (item == null) {
            return false;
        }
        synchronized (item) {
            if (item.gone) {
                return false;
            }
            if (item.busy) {
                item.deleteRequested = true;
                return true;
            }
            try {
                spool.remove(item.entry.id(), item.state);
                item.gone = true;
            } catch (IOException e) {
                LOG.error("{}: cannot delete: {}", item.entry.id(), e.toString());
                return false;
            }
        }
        items.remove(item.entry.id().value());
        LOG.warn("{}: deleted by admin without delivery or bounce (from=<{}>, to={})", item.entry.id(),
                item.entry.envelope().reversePath(), item.entry.envelope().recipients());
        return true;
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
