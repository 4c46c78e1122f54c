package io.mxcutover.relay.intake;

import java.io.IOException;
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

    private final Command library;

    RcptTo(Command library) {
        super("RCPT", "Specifies the recipient. Can be used any number of times.", "TO: <recipient>");
        this.library = library;
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
            session.sendResponse(refused.reply().toString());
            return;
        }
        library.execute("RCPT TO:<" + ((EnvelopeCommand.Accepted) parsed).path() + ">", session);
    }
}
