package io.mxcutover.relay.schedule;

import io.mxcutover.relay.schedule.ScheduledMessage.Phase;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.spool.FileSpool;
import io.mxcutover.relay.spool.SpoolEntry;
import io.mxcutover.relay.spool.SpoolId;
import io.mxcutover.relay.spool.SpoolState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin's operations on the scheduler's queue: list, show, retry now, hold, release, delete.
 * Hold and release move the file to or from {@code hold/} and fsync; an operation on a message a
 * worker is attempting is recorded in its {@link Phase} and carried out when the attempt ends
 * ({@link #afterAttempt}).
 */
final class QueueAdmin implements QueueOperations {

    private static final Logger LOG = LoggerFactory.getLogger(QueueAdmin.class);

    private final Map<String, ScheduledMessage> messages;
    private final FileSpool spool;
    private final Clock clock;
    private final Consumer<ScheduledMessage> enqueue;

    /**
     * @param messages the scheduler's index, by queue id (shared, concurrent)
     * @param enqueue  offers a message to the workers
     */
    QueueAdmin(
            Map<String, ScheduledMessage> messages, FileSpool spool, Clock clock, Consumer<ScheduledMessage> enqueue) {
        this.messages = messages;
        this.spool = spool;
        this.clock = clock;
        this.enqueue = enqueue;
    }

    @Override
    public List<QueuedMessage> list() {
        return messages.values().stream()
                .map(this::view)
                .sorted(Comparator.comparing(QueuedMessage::arrival).thenComparing(QueuedMessage::id))
                .toList();
    }

    @Override
    public Optional<QueuedMessage> show(String id) {
        return find(id).map(this::view);
    }

    private QueuedMessage view(ScheduledMessage m) {
        synchronized (m) {
            SpoolEntry e = m.entry();
            List<String> pending = e.envelope().recipients().stream()
                    .map(MailAddress::toString)
                    .filter(r -> !m.status().isFinished(r))
                    .toList();
            Instant now = clock.instant();
            return new QueuedMessage(
                    e.id().value(),
                    e.envelope().reversePath(),
                    pending,
                    e.arrival(),
                    Duration.between(e.arrival(), now).isNegative()
                            ? Duration.ZERO
                            : Duration.between(e.arrival(), now),
                    m.status().attempts(),
                    m.status().nextAttempt(),
                    m.state().directory(),
                    m.status().lastReply(),
                    e.messageLength(),
                    e.origin() == SpoolEntry.Origin.BOUNCE);
        }
    }

    private Optional<ScheduledMessage> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String key = id.strip().toUpperCase(Locale.ROOT);
        return SpoolId.isValid(key) ? Optional.ofNullable(messages.get(key)) : Optional.empty();
    }

    @Override
    public boolean retryNow(String id) {
        Optional<ScheduledMessage> found = find(id);
        if (found.isEmpty() || found.get().state() == SpoolState.HOLD) {
            return false;
        }
        ScheduledMessage m = found.get();
        m.status(m.status().withNextAttempt(clock.instant()));
        LOG.info("{}: retry requested by admin", m.entry().id());
        enqueue.accept(m);
        return true;
    }

    @Override
    public boolean hold(String id) {
        return find(id).map(this::hold).orElse(false);
    }

    private boolean hold(ScheduledMessage m) {
        synchronized (m) {
            if (m.isGone()) {
                return false;
            }
            if (m.state() == SpoolState.HOLD || m.requestAfterAttempt(Phase.ATTEMPTING_THEN_HOLD)) {
                return true;
            }
            try {
                spool.move(m.entry().id(), m.state(), SpoolState.HOLD, true);
                m.moved(SpoolState.HOLD);
            } catch (IOException e) {
                LOG.error("{}: cannot put on hold: {}", m.entry().id(), e.toString());
                return false;
            }
        }
        LOG.info("{}: put on hold by admin", m.entry().id());
        return true;
    }

    @Override
    public boolean release(String id) {
        Optional<ScheduledMessage> found = find(id);
        if (found.isEmpty()) {
            return false;
        }
        ScheduledMessage m = found.get();
        synchronized (m) {
            if (m.state() != SpoolState.HOLD) {
                return false;
            }
            try {
                spool.move(m.entry().id(), SpoolState.HOLD, SpoolState.DEFERRED, true);
                m.moved(SpoolState.DEFERRED, m.status().withNextAttempt(clock.instant()));
            } catch (IOException e) {
                LOG.error("{}: cannot release from hold: {}", m.entry().id(), e.toString());
                return false;
            }
        }
        LOG.info("{}: released from hold by admin", m.entry().id());
        enqueue.accept(m);
        return true;
    }

    @Override
    public boolean delete(String id) {
        return find(id).map(this::delete).orElse(false);
    }

    private boolean delete(ScheduledMessage m) {
        synchronized (m) {
            if (m.isGone()) {
                return false;
            }
            if (m.requestAfterAttempt(Phase.ATTEMPTING_THEN_DELETE)) {
                return true;
            }
            try {
                spool.remove(m.entry().id(), m.state());
                m.gone();
            } catch (IOException e) {
                LOG.error("{}: cannot delete: {}", m.entry().id(), e.toString());
                return false;
            }
        }
        messages.remove(m.id());
        LOG.warn(
                "{}: deleted by admin without delivery or bounce (from=<{}>, to={})",
                m.entry().id(),
                m.entry().envelope().reversePath(),
                m.entry().envelope().recipients());
        return true;
    }

    /** Carries out what the admin asked while the attempt that ended in {@code phase} was going on. */
    void afterAttempt(ScheduledMessage m, Phase phase) {
        switch (phase) {
            case ATTEMPTING_THEN_DELETE -> delete(m);
            case ATTEMPTING_THEN_HOLD -> hold(m);
            case ATTEMPTING_THEN_RETRY -> enqueue.accept(m);
            default -> {
                // nothing was asked, or the message is gone
            }
        }
    }
}
