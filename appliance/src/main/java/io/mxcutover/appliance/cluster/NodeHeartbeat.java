package io.mxcutover.appliance.cluster;

import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this node at start and renews its heartbeat every {@code cluster.heartbeatSeconds}. A node that cannot
 * reach the database cannot renew it: the other nodes see it not alive after three periods (and its store health
 * check fails). One WARN when the heartbeat starts failing, one INFO when it works again.
 */
public final class NodeHeartbeat implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final NodeRegistry registry;
    private final String id;
    private final String address;
    private final String version;
    private final Clock clock;
    private final Duration period;
    private Instant startedAt;
    private boolean failing;
    private ScheduledExecutorService timer;

    public NodeHeartbeat(
            NodeRegistry registry, String id, String address, String version, Clock clock, Duration period) {
        this.registry = registry;
        this.id = id;
        this.address = address;
        this.version = version;
        this.clock = clock;
        this.period = period;
    }

    @Override
    public synchronized void start() {
        startedAt = clock.instant();
        registry.register(id, address, version, startedAt);
        LOG.info("Node {} registered in the store (version {}, address {})", id, version, address);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-heartbeat");
            t.setDaemon(true);
            return t;
        });
        var unused = timer.scheduleWithFixedDelay(
                this::beatQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Renews the heartbeat once (the schedule calls this; tests call it with a clock they move). */
    public synchronized void beat() {
        if (!registry.heartbeat(id)) {
            registry.register(id, address, version, startedAt == null ? clock.instant() : startedAt);
        }
    }

    private void beatQuietly() {
        try {
            beat();
            if (failing) {
                LOG.info("Node {}: heartbeat renewed again; the other nodes see it alive", id);
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn(
                        "Node {}: heartbeat not renewed (the store cannot be reached from this node?); the other"
                                + " nodes see it not alive after {} s: {}",
                        id,
                        NodeRegistry.ALIVE_PERIODS * period.toSeconds(),
                        e.toString());
                failing = true;
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
