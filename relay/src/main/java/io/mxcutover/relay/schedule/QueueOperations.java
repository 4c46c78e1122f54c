package io.mxcutover.relay.schedule;

import java.util.List;
import java.util.Optional;

/**
 * Admin operations on the relay queue (the appliance maps them to {@code /api/v1/queue}).
 * Ids are queue ids as shown in 250 replies and Received headers. Each mutation returns false
 * when no such message is queued (or it is in a state where the operation means nothing).
 */
public interface QueueOperations {

    /** All queued messages, oldest first. */
    List<QueuedMessage> list();

    Optional<QueuedMessage> show(String id);

    /** Makes a deferred message due now. */
    boolean retryNow(String id);

    /** Stops delivery of a message until {@link #release}; durable. */
    boolean hold(String id);

    /** Puts a held message back in the queue, due now; durable. */
    boolean release(String id);

    /** Removes a message without delivering or bouncing it. The deletion is logged. */
    boolean delete(String id);
}
