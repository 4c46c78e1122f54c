package io.mxcutover.sync.throttle;

import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.run.Backoff;
import io.mxcutover.sync.run.SyncService;
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
 */
public final class ServerGates {
    private static final Logger LOG = LoggerFactory.getLogger(ServerGates.class);
    /** Longest single sleep; the gate is re-read after it (it may have been extended meanwhile). */
    private static final Duration MAX_NAP = Duration.ofSeconds(5);

    private final Clock clock;
    private final Backoff backoff;
    private final Map<String, ServerGate> gates = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();

    /** The key of a server's gate: {@code host:port}, as the gate's log lines name it. */
    public static String key(ImapEndpoint server) {
        return server.host() + ":" + server.port();
    }

    public ServerGates(Clock clock, Backoff backoff) {
        this.clock = clock;
        this.backoff = backoff;
    }

    /** The server at {@code server} ({@code host:port}) throttled a mailbox: every mailbox on it waits. */
    public void throttled(String server, String serverText) {
        if (server == null || server.isEmpty()) {
            return;
        }
        ServerGate g = gates.compute(server, (k, v) -> (v == null ? ServerGate.OPEN : v)
                .throttled(clock.instant(), serverText, backoff));
        LOG.warn("server {} asked to slow down ({}): every mailbox on it pauses for {} s (throttle #{} in a row)",
                server, serverText, g.waitAt(clock.instant()).toSeconds(), g.strikes());
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
     * Blocks while the server's gate is closed (in naps of at most 5 s, re-reading the gate after each);
     * bounded by {@code limit} naps so a clock that does not move cannot hold a thread forever.
     */
    public void await(String server) throws InterruptedException {
        Duration d = waitFor(server);
        if (d.isZero() || d.isNegative()) {
            return;
        }
        AtomicInteger count = waiting.computeIfAbsent(server, k -> new AtomicInteger());
        count.incrementAndGet();
        try {
            for (int nap = 0; nap < 10_000 && !(d.isZero() || d.isNegative()); nap++) {
                Thread.sleep(Math.max(1, Math.min(d.toMillis(), MAX_NAP.toMillis())));
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
