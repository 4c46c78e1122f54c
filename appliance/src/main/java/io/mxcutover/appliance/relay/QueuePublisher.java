package io.mxcutover.appliance.relay;

import io.dropwizard.lifecycle.Managed;
import io.mxcutover.relay.schedule.QueueOperations;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's relay queue summary ({@link NodeQueues}) every {@code relay.queuePublishInterval}, once at
 * start and once at stop (so a node stopped cleanly leaves its last queue, not one from an interval before). Only
 * on a PostgreSQL store: one SQLite node lists its live queue and has no one to publish to.
 */
public final class QueuePublisher implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(QueuePublisher.class);

    private final NodeQueues queues;
    private final String node;
    private final Supplier<Optional<QueueOperations>> queue;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public QueuePublisher(
            NodeQueues queues, String node, Supplier<Optional<QueueOperations>> queue, Duration interval) {
        this.queues = queues;
        this.node = node;
        this.queue = queue;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-queue-publish");
            t.setDaemon(true);
            return t;
        });
        var unused = timer.scheduleWithFixedDelay(this::publishQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Publishes now (the timer's task; tests call it). */
    public void publish() {
        queue.get().ifPresent(q -> queues.publish(node, q.list()));
    }

    // An exception escaping a scheduled task would cancel the schedule.
    private void publishQuietly() {
        try {
            publish();
        } catch (RuntimeException e) {
            LOG.warn("relay queue summary not published (next try in {}): {}", interval, e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        publishQuietly();
    }
}
