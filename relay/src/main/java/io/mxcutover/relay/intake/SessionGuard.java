package io.mxcutover.relay.intake;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Admission and lifetime of SMTP sessions: at most {@code perClient} concurrent sessions per
 * client IP (421 4.7.0 beyond), and a hard deadline per session. SubEthaSMTP's timeout is per
 * read, so a client trickling a byte per minute would hold a thread forever; the watchdog closes
 * the socket when the deadline passes, whatever the client is doing.
 */
final class SessionGuard implements SessionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SessionGuard.class);

    private final int perClient;
    private final Duration deadline;
    private final ScheduledExecutorService watchdog;
    private final Map<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final Map<Session, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();

    SessionGuard(int perClient, Duration deadline, ScheduledExecutorService watchdog) {
        this.perClient = perClient;
        this.deadline = deadline;
        this.watchdog = watchdog;
    }

    @Override
    public SessionAcceptance accept(Session session) {
        InetAddress ip = session.getRealRemoteAddress().getAddress();
        AtomicInteger count = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (count.incrementAndGet() > perClient) {
            count.decrementAndGet();
            LOG.info(
                    "refused session from {}: more than {} concurrent sessions from this address",
                    ip.getHostAddress(),
                    perClient);
            return SessionAcceptance.failure(421, "4.7.0 Too many concurrent connections from your address; try later");
        }
        SessionInput.install(session);
        if (!deadline.isZero()) {
            timers.put(session, watchdog.schedule(() -> expire(session), deadline.toMillis(), TimeUnit.MILLISECONDS));
        }
        return SessionAcceptance.success();
    }

    private void expire(Session session) {
        LOG.info(
                "closing session {} from {}: session deadline of {} exceeded",
                session.getSessionId(),
                session.getRealRemoteAddress().getAddress().getHostAddress(),
                deadline);
        try {
            session.sendResponse("421 4.4.2 Session time limit exceeded, closing connection");
        } catch (IOException | RuntimeException ignored) {
            // the client may be gone or stuck; closing the socket is what matters
        }
        try {
            session.closeSocket();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing expired session: {}", e.toString());
        }
    }

    @Override
    public void onSessionEnd(Session session) {
        ScheduledFuture<?> t = timers.remove(session);
        if (t != null) {
            t.cancel(false);
        }
        InetAddress ip = session.getRealRemoteAddress().getAddress();
        perIp.computeIfPresent(ip, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    }
}
