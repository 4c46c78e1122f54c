package io.mxcutover.relay.intake;

import java.io.IOException;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.Session;

/**
 * Our DATA, registered in place of SubEthaSMTP's (like {@link Ehlo}) so that the message is read
 * through {@link DataStream} in bulk instead of byte by byte. Same protocol as the library's:
 * 503 without MAIL or RCPT, 354, the handler's {@code data()}, the rest of the message drained,
 * then the handler's reply (or its {@code RejectException}'s), and the transaction reset after a
 * success. A session that does not read through our buffer (should the library's internals
 * change) is handed to the library's own DATA.
 */
final class Data extends BaseCommand {

    private final Command library;

    Data(Command library) {
        super("DATA", "Following text is collected as the message.\nEnd data with <CR><LF>.<CR><LF>");
        this.library = library;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        if (!SessionInput.installed(session)) {
            library.execute(commandString, session);
            return;
        }
        if (!session.isMailTransactionInProgress()) {
            session.sendResponse("503 5.5.1 Error: need MAIL command");
            return;
        }
        if (session.getRecipientCount() == 0) {
            session.sendResponse("503 5.5.1 Error: need RCPT command");
            return;
        }
        session.sendResponse("354 End data with <CR><LF>.<CR><LF>");
        DataStream message = new DataStream((SessionInput.Unsynchronized) session.getRawInput());
        String reply;
        try {
            reply = session.getMessageHandler().data(message);
            drain(message);
        } catch (RejectException e) {
            session.sendResponse(e.getErrorResponse());
            return;
        }
        session.sendResponse(reply == null ? "250 2.0.0 Ok" : "250 " + reply);
        session.resetMailTransaction();
    }

    private static void drain(DataStream message) throws IOException {
        byte[] skip = new byte[8192];
        while (message.read(skip, 0, skip.length) >= 0) {
            // the handler stopped early; the rest must not be read as commands
        }
    }
}
