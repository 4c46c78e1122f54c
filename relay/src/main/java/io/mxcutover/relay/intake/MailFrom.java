package io.mxcutover.relay.intake;

import io.mxcutover.relay.RelayMetrics;
import io.mxcutover.relay.smtp.SmtpReply;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.Session;

/**
 * Our MAIL, registered in place of SubEthaSMTP's (like {@link Ehlo}): the parameters are decided
 * by {@link EnvelopeCommand#mail} (the library answers 250 to any of them and drops all but
 * SIZE), then the library's command runs on the bare {@code MAIL FROM:<path>} (plus a SIZE it can
 * parse) and the transaction remembers whether the client declared SMTPUTF8 and BODY=8BITMIME.
 */
final class MailFrom extends BaseCommand {

    private static final Logger LOG = LoggerFactory.getLogger(MailFrom.class);

    private final Command library;
    private final RelayMetrics metrics;

    MailFrom(Command library, RelayMetrics metrics) {
        super("MAIL", "Specifies the sender.", "FROM: <sender> [ SIZE=n ] [ BODY=7BIT|8BITMIME ] [ SMTPUTF8 ]");
        this.library = library;
        this.metrics = metrics;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        if (session.isMailTransactionInProgress()) {
            library.execute(commandString, session); // 503 5.5.1 Sender already specified
            return;
        }
        EnvelopeCommand.Parsed parsed = EnvelopeCommand.mail(commandString);
        if (parsed instanceof EnvelopeCommand.Refused refused) {
            refuse(session, refused.reply());
            return;
        }
        EnvelopeCommand.Accepted mail = (EnvelopeCommand.Accepted) parsed;
        int max = session.getServer().getMaxMessageSize();
        if (mail.size().isPresent() && max > 0 && mail.size().getAsLong() > max) {
            refuse(
                    session,
                    SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum message size of " + max + " bytes"));
            return;
        }
        String size = mail.size().isPresent() ? " SIZE=" + mail.size().getAsLong() : "";
        library.execute("MAIL FROM:<" + mail.path() + ">" + size, session);
        if (session.isMailTransactionInProgress() && session.getMessageHandler() instanceof IntakeHandler handler) {
            handler.declare(mail.smtputf8(), mail.eightBitMime());
        }
    }

    private void refuse(Session session, SmtpReply reply) throws IOException {
        metrics.rejected(EnvelopeCommand.reason(reply));
        LOG.info("{}: reject MAIL from {}: {}", session.getSessionId(), session.getRemoteAddress(), reply);
        session.sendResponse(reply.toString());
    }
}
