package io.mxcutover.relay.intake;

import io.mxcutover.relay.RelayMetrics;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.Session;

/**
 * Our RCPT, registered in place of SubEthaSMTP's (like {@link MailFrom}): parameters and a UTF-8
 * path without SMTPUTF8 are refused by {@link EnvelopeCommand#rcpt}; the library's command then
 * runs on the bare {@code RCPT TO:<path>} and the handler's {@link RecipientPolicy} decides.
 */
final class RcptTo extends BaseCommand {

    private static final Logger LOG = LoggerFactory.getLogger(RcptTo.class);

    private final Command library;
    private final RelayMetrics metrics;

    RcptTo(Command library, RelayMetrics metrics) {
        super("RCPT", "Specifies the recipient. Can be used any number of times.", "TO: <recipient>");
        this.library = library;
        this.metrics = metrics;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        if (!session.isMailTransactionInProgress()) {
            library.execute(commandString, session); // 503 5.5.1 Error: need MAIL command
            return;
        }
        boolean smtputf8 = session.getMessageHandler() instanceof IntakeHandler h && h.smtputf8();
        EnvelopeCommand.Parsed parsed = EnvelopeCommand.rcpt(commandString, smtputf8);
        if (parsed instanceof EnvelopeCommand.Refused refused) {
            metrics.rejected(EnvelopeCommand.reason(refused.reply()));
            LOG.info(
                    "{}: reject RCPT from {}: {}", session.getSessionId(), session.getRemoteAddress(), refused.reply());
            session.sendResponse(refused.reply().toString());
            return;
        }
        library.execute("RCPT TO:<" + ((EnvelopeCommand.Accepted) parsed).path() + ">", session);
    }
}
