package io.mxcutover.relay.forward;

import io.mxcutover.relay.smtp.Envelope;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.spool.FileSpool;
import io.mxcutover.relay.spool.SpoolEntry;
import io.mxcutover.relay.spool.SpoolId;
import io.mxcutover.relay.spool.SpoolState;
import io.mxcutover.relay.spool.SpoolWriter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a message's sender its bounce or delay warning: builds the report ({@link Bounces}) from the
 * message in {@code active/}, and spools it as a new message from the null sender (origin
 * {@code BOUNCE}) so that it is delivered, retried and routed like any other. Nothing is sent for
 * a message whose sender is null (RFC 5321 §6.1) or is not a plain mailbox; each case is logged.
 * Returns once the report is durably spooled: the caller marks recipients finished only after.
 */
public final class BounceSender {

    private static final Logger LOG = LoggerFactory.getLogger(BounceSender.class);

    private final FileSpool spool;
    private final String hostname;
    private final Clock clock;

    /** @param hostname this relay's name: the Reporting-MTA and the MAILER-DAEMON's domain */
    public BounceSender(FileSpool spool, String hostname, Clock clock) {
        this.spool = spool;
        this.hostname = hostname;
        this.clock = clock;
    }

    /** The spooled report, or empty when the sender gets none. */
    public Optional<SpoolEntry> send(
            SpoolEntry entry, List<Bounces.Failure> failures, Bounces.Action action, Instant now) throws IOException {
        if (entry.envelope().hasNullSender()) {
            LOG.info(
                    "{}: not sending a {} notice: the sender is null (<>)",
                    entry.id(),
                    action == Bounces.Action.FAILED ? "bounce" : "delay");
            return Optional.empty();
        }
        String sender = entry.envelope().reversePath();
        MailAddress to;
        try {
            to = MailAddress.of(sender);
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "{}: cannot send a {} notice to sender <{}>: not a plain mailbox address",
                    entry.id(),
                    action.name().toLowerCase(Locale.ROOT),
                    sender);
            return Optional.empty();
        }
        byte[] dsn;
        try (InputStream original = spool.openMessage(entry, SpoolState.ACTIVE)) {
            dsn = Bounces.build(entry.id().value(), sender, entry.arrival(), failures, action, hostname, now, original);
        }
        SpoolId bounceId = SpoolId.generate(clock);
        Envelope env = new Envelope(Optional.empty(), List.of(to));
        SpoolEntry bounce;
        try (SpoolWriter w = spool.begin(bounceId, "127.0.0.1", hostname, SpoolEntry.Origin.BOUNCE, env)) {
            w.write(dsn);
            bounce = w.commit();
        }
        LOG.info(
                "{}: sender non-delivery notification: {} ({} to <{}>)",
                entry.id(),
                bounceId,
                action == Bounces.Action.FAILED ? "bounce" : "delay warning",
                sender);
        return Optional.of(bounce);
    }
}
