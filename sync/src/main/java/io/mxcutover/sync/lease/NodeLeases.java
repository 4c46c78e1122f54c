package io.mxcutover.sync.lease;

import io.mxcutover.sync.state.LeaseLostException;
import io.mxcutover.sync.state.WriteFence;
import io.mxcutover.sync.time.Sleeper;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's share of the sync work: the leases and connection slots it holds, renewed on one thread
 * ({@link #start}) every third of the lease period, released when a pass ends ({@link HeldLease#close}) or the node
 * stops ({@link #close}). One instance per node, shared by all its services (like the throttling gates).
 *
 * <p>As a {@link WriteFence}: a pass runs with its lease bound to its thread ({@link #bind}); each journal write of
 * that mailbox checks the lease in the database inside the write's transaction (on PostgreSQL the lease row stays
 * locked until the commit, so a takeover waits for it), and each write on the new server checks on the clock that
 * more than a third of the period is left. A node that paused longer than that stops before another node can take
 * the mailbox: the journal's intent/lookup rule then holds across nodes as it does across restarts.
 *
 * <p>Logs: a lease lost (warn), a renewal that failed on the database (warn).
 */
public final class NodeLeases implements AutoCloseable, WriteFence {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLeases.class);

    private final LeaseSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final LeaseStore passes;
    private final LeaseStore idles;
    private final ServerSlotStore slots;
    private final Set<HeldLease> leases = ConcurrentHashMap.newKeySet();
    private final Set<HeldSlot> heldSlots = ConcurrentHashMap.newKeySet();
    private final Set<String> ensuredServers = ConcurrentHashMap.newKeySet();
    private final Set<String> ensuredMailboxes = ConcurrentHashMap.newKeySet();
    /** The pass lease of the pass running on a thread (one at a time; its lease knows its node). */
    private static final ThreadLocal<HeldLease> BOUND = new ThreadLocal<>();

    private volatile Thread renewer;
    private volatile boolean stopped;
    private volatile boolean abandoned;

    public NodeLeases(DataSource dataSource, LeaseSettings settings, Clock clock, Sleeper sleeper) {
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.passes = new LeaseStore(dataSource, "sync_lease");
        this.idles = new LeaseStore(dataSource, "sync_idle_lease");
        this.slots = new ServerSlotStore(dataSource);
    }

    public LeaseSettings settings() {
        return settings;
    }

    public String node() {
        return settings.node();
    }

    Clock clock() {
        return clock;
    }

    private long expiry(long now) {
        return now + settings.period().toMillis();
    }

    // ---- mailbox leases -----------------------------------------------------------------------------------------

    /**
     * Takes the pass lease of one of {@code candidates}: the longest since its last pass first, leaving those
     * another node holds and those passed less than {@code rest} ago. Empty when none is free.
     */
    public Optional<HeldLease> claimNext(List<String> candidates, Duration rest) {
        if (stopped) {
            return Optional.empty();
        }
        ensure(candidates);
        long now = clock.millis();
        return passes.claimNext(candidates, node(), now, expiry(now), rest).map(l -> held(passes, l, now));
    }

    /**
     * When another node last ended a pass of {@code mailbox} ({@link LeaseRules#passedElsewhere}); empty when this
     * node cannot tell (another node holds it now, or the last pass was this node's).
     */
    public Optional<java.time.Instant> passedElsewhereAt(String mailbox) {
        java.util.OptionalLong at = LeaseRules.passedElsewhere(passes.row(mailbox), node(), clock.millis());
        return at.isPresent() ? Optional.of(java.time.Instant.ofEpochMilli(at.getAsLong())) : Optional.empty();
    }

    /** Takes the pass lease of {@code mailbox} if no node holds it. */
    public Optional<HeldLease> claim(String mailbox) {
        if (stopped) {
            return Optional.empty();
        }
        long now = clock.millis();
        return passes.claim(mailbox, node(), now, expiry(now)).map(l -> held(passes, l, now));
    }

    /** Takes the IDLE lease of {@code mailbox} (which node IDLEs on its INBOX) if no node holds it. */
    public Optional<HeldLease> claimIdle(String mailbox) {
        if (stopped) {
            return Optional.empty();
        }
        long now = clock.millis();
        return idles.claim(mailbox, node(), now, expiry(now)).map(l -> held(idles, l, now));
    }

    private void ensure(List<String> mailboxes) {
        List<String> missing =
                mailboxes.stream().filter(m -> !ensuredMailboxes.contains(m)).toList();
        if (!missing.isEmpty()) {
            passes.ensure(missing);
            ensuredMailboxes.addAll(missing);
        }
    }

    private HeldLease held(LeaseStore store, LeaseStore.Lease l, long now) {
        HeldLease h = new HeldLease(this, store, l, clock, now);
        leases.add(h);
        return h;
    }

    void released(HeldLease h) {
        leases.remove(h);
        if (abandoned) {
            return; // a dead node releases nothing
        }
        try {
            h.store().release(h.lease(), clock.millis());
        } catch (RuntimeException e) {
            // It expires after the period anyway.
            LOG.warn(
                    "lease {} not released ({}); it expires in {} s",
                    h,
                    e.toString(),
                    settings.period().toSeconds());
        }
    }

    /** Binds a pass lease to this thread for the fence until the returned scope closes. */
    public Binding bind(HeldLease lease) {
        HeldLease previous = BOUND.get();
        BOUND.set(lease);
        return () -> BOUND.set(previous);
    }

    /** The scope of {@link #bind}. */
    @FunctionalInterface
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public void verify(Connection c, String mailbox) throws SQLException {
        HeldLease h = BOUND.get();
        if (h == null || !h.ownedBy(this) || !h.mailbox().equals(mailbox)) {
            return;
        }
        if (h.lost() || !h.store().holds(c, h.lease(), clock.millis())) {
            h.markLost();
            throw new LeaseLostException("node " + node() + " no longer holds the lease of " + mailbox + " (generation "
                    + h.generation() + ")");
        }
    }

    @Override
    public void beforeTargetWrite(String mailbox) {
        HeldLease h = BOUND.get();
        if (h == null || !h.ownedBy(this) || !h.mailbox().equals(mailbox)) {
            return;
        }
        if (!h.writable()) {
            throw new LeaseLostException("node " + node() + ": the lease of " + mailbox + " (generation "
                    + h.generation() + ") has less than a third of its "
                    + settings.period().toSeconds()
                    + " s left; nothing more is written to the new server");
        }
    }

    // ---- connection slots ---------------------------------------------------------------------------------------

    /**
     * A slot of {@code server} ({@code host:port}, {@code cap} across the nodes) for a connection about to be
     * opened; with {@code wait}, waits (through the sleeper) until one is free, else empty when none is.
     */
    public Optional<HeldSlot> slot(String server, int cap, LeaseRules.SlotUse use, String holder, boolean wait)
            throws InterruptedException {
        if (stopped) {
            return Optional.empty(); // a stopped node opens nothing new (a dead one would never release it)
        }
        if (ensuredServers.add(server + "#" + cap)) {
            slots.ensure(server, cap);
        }
        LeaseRules.SlotRange range = LeaseRules.slots(use, cap);
        Duration step = pollStep();
        while (true) {
            long now = clock.millis();
            Optional<ServerSlotStore.Slot> s = slots.claim(server, range, node(), holder, now, expiry(now));
            if (s.isPresent()) {
                HeldSlot h = new HeldSlot(this, s.get(), now, expiry(now));
                heldSlots.add(h);
                return Optional.of(h);
            }
            if (!wait || range.empty() || stopped) {
                return Optional.empty();
            }
            sleeper.sleep(step);
        }
    }

    /** How often a waiting connection looks for a free slot: a tenth of the period, 50 ms .. 500 ms. */
    public Duration pollStep() {
        long ms = Math.max(50, Math.min(500, settings.period().toMillis() / 10));
        return Duration.ofMillis(ms);
    }

    void released(HeldSlot h) {
        heldSlots.remove(h);
        if (abandoned) {
            return;
        }
        try {
            slots.release(h.slot());
        } catch (RuntimeException e) {
            LOG.warn(
                    "{} not released ({}); it expires in {} s",
                    h,
                    e.toString(),
                    settings.period().toSeconds());
        }
    }

    /** Slots of {@code server} held now by every node (reports and tests). */
    public int slotsHeld(String server) {
        return slots.held(server, clock.millis());
    }

    // ---- renewal ------------------------------------------------------------------------------------------------

    /** Starts the renewal thread (idempotent). */
    public synchronized void start() {
        if (renewer != null || stopped) {
            return;
        }
        Duration step = LeaseRules.renewEvery(settings.period()).dividedBy(2);
        Thread t = new Thread(
                () -> {
                    while (!stopped) {
                        try {
                            sleeper.sleep(step);
                        } catch (InterruptedException e) {
                            return;
                        }
                        if (!stopped) {
                            renewDue();
                        }
                    }
                },
                "sync-lease-renewal-" + node());
        t.setDaemon(true);
        renewer = t;
        t.start();
    }

    /** Renews every held lease and slot whose renewal is due; marks lost the leases a renewal no longer finds. */
    public void renewDue() {
        for (HeldLease h : leases) {
            long now = clock.millis();
            if (h.released() || !LeaseRules.renewalDue(h.renewedAt(), now, settings.period())) {
                continue;
            }
            try {
                if (h.store().renew(h.lease(), now, expiry(now))) {
                    h.renewed(now, expiry(now));
                } else if (!h.lost()) {
                    h.markLost();
                    LOG.warn("lease {} lost: expired or taken over by another node; its work stops", h);
                } else {
                    h.markLost();
                }
            } catch (RuntimeException e) {
                LOG.warn("lease {} not renewed: {}", h, e.toString());
            }
        }
        for (HeldSlot s : heldSlots) {
            long now = clock.millis();
            if (s.released() || s.lost() || !LeaseRules.renewalDue(s.renewedAt(), now, settings.period())) {
                continue;
            }
            try {
                if (slots.renew(s.slot(), now, expiry(now))) {
                    s.renewed(now, expiry(now));
                } else if (!s.released()) {
                    // Expired before this renewal (renewals stalled) or released meanwhile: the session stops
                    // at its next command (HeldSlot#check), before another node can see the server over its cap.
                    s.markLost();
                    LOG.warn(
                            "{} expired before node {} renewed it; the session using it stops at its next command",
                            s,
                            node());
                }
            } catch (RuntimeException e) {
                LOG.warn("{} not renewed: {}", s, e.toString());
            }
        }
    }

    /** False once the node stopped or was abandoned: no more claims. */
    public boolean active() {
        return !stopped;
    }

    /** How many leases (passes and IDLE) this node holds now. */
    public int held() {
        return (int) leases.stream().filter(h -> !h.lost()).count();
    }

    private synchronized void stopRenewal() {
        stopped = true;
        Thread t = renewer;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * What a node that dies leaves behind (tests of takeover): stops renewing and forgets its leases and slots
     * without releasing them, so they expire after the period.
     */
    public void abandon() {
        abandoned = true;
        stopRenewal();
        leases.forEach(HeldLease::markLost);
        leases.clear();
        heldSlots.forEach(HeldSlot::markLost); // a dead node's connections die with it
        heldSlots.clear();
    }

    /** The node stops: no more renewals, and every lease and slot it holds is released. */
    @Override
    public void close() {
        stopRenewal();
        List.copyOf(leases).forEach(HeldLease::close);
        List.copyOf(heldSlots).forEach(HeldSlot::close);
    }
}
