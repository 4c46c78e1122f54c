package io.mxcutover.relay.intake;

import io.mxcutover.relay.RelayMetrics.Rejection;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.smtp.Envelope;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.smtp.SmtpReply;
import io.mxcutover.relay.spool.SpoolEntry;
import io.mxcutover.relay.spool.SpoolException;
import io.mxcutover.relay.spool.SpoolFullException;
import io.mxcutover.relay.spool.SpoolId;
import io.mxcutover.relay.spool.SpoolWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;
import org.subethamail.smtp.server.Session;

/**
 * The SubEthaSMTP adapter for one mail transaction: turns MAIL/RCPT strings into an
 * {@link Envelope}, asks {@link RecipientPolicy}, streams DATA into the spool, asks
 * {@link ContentPolicy} about what the stream saw and maps the result to a reply. SubEthaSMTP
 * calls {@code from}, {@code recipient}* , {@code data}, then always {@code done}.
 *
 * <p>{@code data} reads the stream to its end in every case before it throws: SubEthaSMTP does
 * not drain the rest of a rejected message, which would otherwise be parsed as commands.
 */
final class IntakeHandler implements MessageHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeHandler.class);
    private static final int BUFFER = 16 * 1024;
    /** Session threads handle one transaction at a time: reuse the copy buffers. */
    private static final ThreadLocal<byte[][]> BUFFERS =
            ThreadLocal.withInitial(() -> new byte[][] {new byte[BUFFER], new byte[2 * BUFFER + 2]});

    private final Intake intake;
    private final MessageContext context;
    private final Set<MailAddress> recipients = new LinkedHashSet<>();
    private Optional<String> sender = Optional.empty();
    private int rcptCommands;
    /** MAIL FROM carried SMTPUTF8 / BODY=8BITMIME (set by {@link MailFrom} right after {@code from}). */
    private boolean smtputf8;

    private boolean eightBitMime;
    private SpoolWriter writer;

    IntakeHandler(Intake intake, MessageContext context) {
        this.intake = intake;
        this.context = context;
    }

    @Override
    public void from(String from) throws RejectException {
        if (from == null || from.isEmpty()) {
            sender = Optional.empty();
            return;
        }
        if (from.length() > 256 || from.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == '<' || c == '>')) {
            throw reject(SmtpReply.of(501, "5.1.7", "Bad sender address syntax"), Rejection.BAD_SYNTAX);
        }
        sender = Optional.of(from);
    }

    @Override
    public void recipient(String raw) throws RejectException {
        rcptCommands++;
        if (recipients.size() >= intake.settings().maxRecipients()) {
            throw reject(SmtpReply.of(452, "4.5.3", "Error: too many recipients"), Rejection.TOO_MANY_RECIPIENTS);
        }
        RoutingTable table = intake.routes().get();
        RecipientPolicy.Verdict verdict = RecipientPolicy.check(raw, table, smtputf8);
        if (verdict instanceof RecipientPolicy.Refuse refuse) {
            LOG.info(
                    "{}: reject RCPT from {}: {} (recipient {})",
                    context.getSessionId(),
                    clientIp(),
                    refuse.reply(),
                    printable(raw));
            throw reject(refuse.reply(), refuse.reason());
        }
        RecipientPolicy.Accept accept = (RecipientPolicy.Accept) verdict;
        if (accept.needsCallout() && intake.callout().isPresent()) {
            RecipientCallout.Result r = intake.callout().get().verify(accept.address(), table);
            if (r == RecipientCallout.Result.UNKNOWN) {
                throw reject(
                        SmtpReply.of(
                                550,
                                "5.1.1",
                                "<" + accept.address() + ">: Recipient address rejected: undeliverable address"),
                        Rejection.UNKNOWN_RECIPIENT);
            }
            if (r == RecipientCallout.Result.TEMPFAIL) {
                throw reject(
                        SmtpReply.of(
                                450,
                                "4.1.1",
                                "<" + accept.address()
                                        + ">: Recipient address rejected: unverified address, try again later"),
                        Rejection.CALLOUT_TEMPFAIL);
            }
        }
        recipients.add(accept.address());
    }

    /** Receives and spools the message; its log lines carry the MDC key {@code queueId}. */
    @Override
    public String data(InputStream data) throws RejectException, IOException {
        try {
            return receive(data);
        } finally {
            MDC.remove("queueId");
        }
    }

    private String receive(InputStream data) throws RejectException, IOException {
        if (recipients.isEmpty()) {
            drain(data);
            throw reject(SmtpReply.of(554, "5.5.1", "Error: no valid recipients"), Rejection.NO_RECIPIENTS);
        }
        SpoolId id = SpoolId.generate(intake.clock());
        MDC.put("queueId", id.toString());
        Envelope envelope = new Envelope(sender, new ArrayList<>(recipients), smtputf8, eightBitMime);
        String helo = context.getHelo().orElse("");
        try {
            writer = intake.spool().begin(id, clientIp(), helo, SpoolEntry.Origin.SMTP, envelope);
        } catch (SpoolException e) {
            drain(data);
            throw spoolFailure(id, e);
        }
        // DATA arrives dot-unstuffed except for its first line (a SubEthaSMTP quirk the scanner
        // repairs); BDAT chunks are raw bytes and must not be touched.
        DataScanner scanner =
                new DataScanner(intake.settings().maxMessageSize(), data instanceof DotUnstuffingInputStream);
        boolean storing = true;
        SpoolException spoolError = null;
        try {
            writer.write(ReceivedHeader.build(
                    helo,
                    clientIp(),
                    intake.settings().hostname(),
                    id.value(),
                    tls(),
                    recipients.stream().map(MailAddress::toString).toList(),
                    intake.clock().instant()));
        } catch (SpoolException e) {
            storing = false;
            spoolError = e;
        }
        byte[][] buffers = BUFFERS.get();
        byte[] in = buffers[0];
        byte[] out = buffers[1];
        int n;
        while ((n = data.read(in, 0, in.length)) >= 0) {
            int m = scanner.scan(in, n, out);
            if (storing && scanner.oversize()) {
                storing = false; // keep reading to the end; stop spending disk on it
            }
            if (storing) {
                try {
                    writer.write(out, 0, m);
                } catch (SpoolException e) {
                    storing = false;
                    spoolError = e;
                }
            }
        }
        if (connectionClosed(data)) {
            // A BDAT chunk cut short: the client was never told 250 and will send the whole message again.
            writer.abort();
            writer = null;
            LOG.info(
                    "{}: connection from {} closed inside a BDAT chunk after {} bytes; nothing accepted (the sender"
                            + " was not told 250 and will retry)",
                    id,
                    clientIp(),
                    scanner.size());
            throw new EOFException("connection closed inside a BDAT chunk");
        }
        int m = scanner.finish(out);
        if (storing && m > 0) {
            try {
                writer.write(out, 0, m);
            } catch (SpoolException e) {
                storing = false;
                spoolError = e;
            }
        }
        // The whole DATA has been read here; rejecting now cannot desynchronise the session.
        ContentPolicy.Verdict verdict = ContentPolicy.check(
                new ContentPolicy.Facts(scanner.size(), scanner.bareLineEnding(), scanner.receivedHeaders()),
                intake.settings().contentLimits());
        if (verdict instanceof ContentPolicy.Refuse refuse) {
            writer.abort();
            if (refuse.reason() == Rejection.MAIL_LOOP) {
                LOG.warn(
                        "{}: mail loop suspected: {} Received headers (limit {}), from=<{}> to={}",
                        id,
                        scanner.receivedHeaders(),
                        intake.settings().maxReceivedHeaders(),
                        sender.orElse(""),
                        recipients);
            }
            throw reject(refuse.reply(), refuse.reason());
        }
        if (spoolError != null) {
            writer.abort();
            throw spoolFailure(id, spoolError);
        }
        SpoolEntry entry;
        try {
            entry = writer.commit();
        } catch (SpoolException e) {
            throw spoolFailure(id, e);
        } finally {
            writer = null;
        }
        intake.metrics().accepted();
        intake.metrics().spooled();
        LOG.info(
                "{}: accepted from={} ({} [{}]) size={} nrcpt={}{}",
                id,
                "<" + sender.orElse("") + ">",
                helo,
                clientIp(),
                scanner.size(),
                recipients.size(),
                ((ContentPolicy.Accept) verdict).normalised() ? " (bare line endings normalised)" : "");
        intake.spooled().accept(entry);
        return "2.0.0 Ok: queued as " + id;
    }

    @Override
    public void done() {
        if (writer != null) {
            writer.abort();
            writer = null;
        }
    }

    private RejectException spoolFailure(SpoolId id, SpoolException e) {
        LOG.error(
                "{}: message NOT accepted, spool failed: {}. Check disk space and permissions of {}",
                id,
                e.getMessage(),
                intake.spool().root());
        if (e instanceof SpoolFullException) {
            return reject(SmtpReply.of(452, "4.3.1", "Insufficient system storage"), Rejection.SPOOL_FULL);
        }
        return reject(
                SmtpReply.of(451, "4.3.0", "Local error in processing, try again later"), Rejection.SPOOL_FAILURE);
    }

    private RejectException reject(SmtpReply reply, Rejection reason) {
        intake.metrics().rejected(reason);
        if (writer != null
                || reply.code() == 552
                || reason == Rejection.BARE_LINE_ENDING
                || reason == Rejection.MAIL_LOOP
                || reason == Rejection.SPOOL_FAILURE
                || reason == Rejection.SPOOL_FULL
                || reason == Rejection.NO_RECIPIENTS) {
            endTransaction();
        }
        return new RejectException(reply.code(), reply.textWithEnhanced());
    }

    /**
     * A refused DATA ends the mail transaction (RFC 5321 §4.1.1.4), but SubEthaSMTP only resets
     * it after a successful one; without this the next MAIL FROM would get 503.
     */
    private void endTransaction() {
        if (context instanceof Session s) {
            s.resetMailTransaction();
        }
    }

    /**
     * Whether {@code data} ended because the client closed the connection, not at the end of the
     * message. SubEthaSMTP's BDAT stream returns end of stream both after the LAST chunk and when the
     * socket closes inside a chunk; only our session input can tell. DATA needs no check: its stream
     * ({@link DataStream}, or the library's) throws when the connection closes before CRLF.CRLF.
     */
    private boolean connectionClosed(InputStream data) {
        return !(data instanceof DataStream)
                && !(data instanceof DotUnstuffingInputStream)
                && context instanceof Session s
                && s.getRawInput() instanceof SessionInput.Unsynchronized in
                && in.ended();
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[BUFFER];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    private String clientIp() {
        if (context.getRemoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            return a.getAddress().getHostAddress();
        }
        return "unknown";
    }

    private Optional<ReceivedHeader.Tls> tls() {
        if (context instanceof Session s && s.isTLSStarted() && s.getSocket() instanceof SSLSocket ssl) {
            return Optional.of(new ReceivedHeader.Tls(
                    ssl.getSession().getProtocol(), ssl.getSession().getCipherSuite()));
        }
        return Optional.empty();
    }

    private static String printable(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}]", "?");
    }

    void declare(boolean smtputf8, boolean eightBitMime) {
        this.smtputf8 = smtputf8;
        this.eightBitMime = eightBitMime;
    }

    boolean smtputf8() {
        return smtputf8;
    }

    int rcptCommands() {
        return rcptCommands;
    }
}
