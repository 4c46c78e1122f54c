package io.mxcutover.relay.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One message as the queue API shows it.
 *
 * @param sender         "" for the null sender
 * @param recipients     recipients not yet delivered or bounced
 * @param state          incoming, active, deferred or hold
 * @param lastReply      last reply or error seen (empty before the first attempt)
 */
public record QueuedMessage(
        String id,
        String sender,
        List<String> recipients,
        Instant arrival,
        Duration age,
        int attempts,
        Instant nextAttempt,
        String state,
        String lastReply,
        long size,
        boolean bounce) {
    public QueuedMessage {
        recipients = List.copyOf(recipients);
    }
}
