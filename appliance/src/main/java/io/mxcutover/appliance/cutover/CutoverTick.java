package io.mxcutover.appliance.cutover;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link CutoverService#tick()} periodically (the clock it judges by is the service's), and closes
 * the service at shutdown. A tick that fails for one domain is logged by the service; the schedule goes on.
 */
public final class CutoverTick implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverTick.class);

    private final CutoverService service;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public CutoverTick(CutoverService service, Duration interval) {
        this.service = service;
        this.interval = interval;
    }

    CutoverService service() {
        return service;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cutover-tick");
            t.setDaemon(true);
            return t;
        });
        var unused = timer.scheduleWithFixedDelay(
                this::tickQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    // An exception escaping a scheduled task would cancel the schedule: no domain would ever complete.
    private void tickQuietly() {
        try {
            service.tick();
        } catch (RuntimeException e) {
            LOG.warn("Cutover tick failed; next try in {}: {}", AdminText.span(interval), e.toString(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        service.close();
    }
}
