package io.mxcutover.relay.spool;

import io.mxcutover.relay.smtp.Envelope;
import java.time.Instant;
import java.util.Objects;

/**
 * What the spool file's header and trailer say about one message.
 *
 * @param origin         SMTP for mail received from a client, BOUNCE for a delivery status
 *                       notification this relay generated (always with the null sender)
 * @param messageOffset  where the message bytes start in the file
 * @param messageLength  number of message bytes (the Received header we prepended included)
 */
public record SpoolEntry(
        SpoolId id,
        Instant arrival,
        String client,
        String helo,
        Origin origin,
        Envelope envelope,
        long messageOffset,
        long messageLength,
        int crc32c) {

    public enum Origin {
        SMTP,
        BOUNCE
    }

    public SpoolEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(envelope, "envelope");
        if (messageOffset < 0 || messageLength < 0) {
            throw new IllegalArgumentException("negative offset or length in spool entry " + id);
        }
    }
}
