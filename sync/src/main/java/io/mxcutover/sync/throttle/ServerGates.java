package io.mxcutover.sync.throttle;

import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.run.Backoff;
import io.mxcutover.sync.run.SyncService;
import io.mxcutover.sync.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ServerGate}s of every server the sync talks to, keyed by {@code host:port}; thread-safe.
 * One instance is shared by every mailbox of a {@link SyncService} (and may be shared by several
 * services whose domains live on the same servers).
 *
 * <p>A gate closes until a time on the injected {@link Clock}; {@link #await} waits for that time through the
 * {@link Sleeper}, so a test that moves its clock (and sleeps by moving it) sees every wait end at once.
 */
public final class ServerGates {
    private static final Logger LOG = LoggerFactory.getLogger(ServerGates.class);
    /**
     * Longest single sleep; the gate is re-read after it: the clock may have moved more than the sleep (a test
     * clock moved by the test, the system clock stepped) or the gate may have been extended meanwhile.
     */
    private static final Duration MAX_NAP = Duration.ofSeconds(5);

    private static final Duration MIN_NAP = Duration.ofMillis(1);

    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final Map<String, ServerGate> gates = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> throttles = new ConcurrentHashMap<>();

    /** The key of a server's gate: {@code host:port}, as the gate's log lines name it. */
    public static String key(ImapEndpoint server) {
        return server.host() + ":" + server.port();
    }

    /** Gates that wait in real time ({@link Sleeper#SYSTEM}). */
    public ServerGates(Clock clock, Backoff backoff) {
        this(clock, Sleeper.SYSTEM, backoff);
    }

    /** {@code sleeper}: how {@link #await} waits; a test passes one that moves {@code clock}. */
    public ServerGates(Clock clock, Sleeper sleeper, Backoff backoff) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.backoff = backoff;
    }

    /** The server at {@code server} ({@code host:port}) throttled a mailbox: every mailbox on it waits. */
    public void throttled(String server, String serverText) {
        if (server == null || server.isEmpty()) {
            return;
        }
        throttles
                .computeIfAbsent(server, k -> new java.util.concurrent.atomic.AtomicLong())
                .incrementAndGet();
        ServerGate g = gates.compute(
                server, (k, v) -> (v == null ? ServerGate.OPEN : v).throttled(clock.instant(), serverText, backoff));
        LOG.warn(
                "server {} asked to slow down ({}): every mailbox on it pauses for {} s (throttle #{} in a row)",
                server,
                serverText,
                g.waitAt(clock.instant()).toSeconds(),
                g.strikes());
    }

    /** How many times each server ({@code host:port}) asked to slow down since this object was built. */
    public Map<String, Long> throttleCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        throttles.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    public void passed(String server) {
        gates.computeIfPresent(server, (k, v) -> v.passed(clock.instant()));
    }

    public ServerGate gate(String server) {
        return gates.getOrDefault(server, ServerGate.OPEN);
    }

    public Duration waitFor(String server) {
        return gate(server).waitAt(clock.instant());
    }

    /**
     * Blocks until the server's gate is open on the clock: sleeps (through the {@link Sleeper}) at most 5 s at a
     * time and re-reads the gate after each sleep. Returns at once when the gate is open. Interrupting the thread
     * ends the wait with {@link InterruptedException}.
     */
    public void await(String server) throws InterruptedException {
        Duration d = waitFor(server);
        if (d.isZero() || d.isNegative()) {
            return;
        }
        AtomicInteger count = waiting.computeIfAbsent(server, k -> new AtomicInteger());
        count.incrementAndGet();
        try {
            while (!(d.isZero() || d.isNegative())) {
                sleeper.sleep(d.compareTo(MAX_NAP) > 0 ? MAX_NAP : d.compareTo(MIN_NAP) < 0 ? MIN_NAP : d);
                d = waitFor(server);
            }
        } finally {
            count.decrementAndGet();
        }
    }

    /** How many threads (mailboxes) are paused in {@link #await} for that server's gate right now. */
    public int waiting(String server) {
        AtomicInteger count = waiting.get(server);
        return count == null ? 0 : count.get();
    }
}
