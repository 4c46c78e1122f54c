package io.mxcutover.appliance.facts;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The relay queue of one domain.
 *
 * @param known false when the relay is not wired
 * @param queued messages for the domain in the spool, not yet delivered (any state)
 * @param deferred of those, waiting for a retry after a temporary failure
 * @param heldOrFailingTowardNew messages the relay holds, or keeps failing to deliver to the new server;
 *     a cutover with any of them is refused unless forced
 * @param oldestQueuedAt when the oldest queued message was accepted
 * @param detail the relay's own words (e.g. the last failure reply), may be empty
 */
public record QueueSummary(
        boolean known,
        int queued,
        int deferred,
        int heldOrFailingTowardNew,
        Optional<Instant> oldestQueuedAt,
        String detail) {

    public static final QueueSummary UNKNOWN = new QueueSummary(false, 0, 0, 0, Optional.empty(), "");

    public QueueSummary {
        if (queued < 0 || deferred < 0 || heldOrFailingTowardNew < 0) {
            throw new IllegalArgumentException("queue counts must not be negative");
        }
        Objects.requireNonNull(oldestQueuedAt, "oldestQueuedAt");
        detail = detail == null ? "" : detail;
    }
}
