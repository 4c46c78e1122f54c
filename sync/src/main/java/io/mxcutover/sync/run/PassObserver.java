package io.mxcutover.sync.run;

import io.mxcutover.sync.engine.MailboxResult;
import java.time.Duration;

/**
 * Told when a mailbox pass ends, with how long it took on the service's clock (the wait at a throttled
 * server's gate is not counted). The appliance turns it into metrics; the sync module keeps no meters.
 * Called on the pass's own thread after the pass is recorded: keep it short, and do not throw.
 */
@FunctionalInterface
public interface PassObserver {
    PassObserver NONE = (result, took) -> {};

    void passEnded(MailboxResult result, Duration took);
}
