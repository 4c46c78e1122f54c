package io.mxcutover.relay.intake;

import io.mxcutover.relay.smtp.SmtpReply;
import java.io.IOException;
import java.util.Optional;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.server.Session;

/** Our HELO: the library's, after {@link EnvelopeCommand#helo} refused a non-ASCII name (as {@link Ehlo} does). */
final class Helo extends BaseCommand {

    private final Command library;

    Helo(Command library) {
        super("HELO", "Introduce yourself.", "<hostname>");
        this.library = library;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        String[] args = getArgs(commandString);
        Optional<SmtpReply> refused = EnvelopeCommand.helo(args.length < 2 ? "" : args[1]);
        if (refused.isPresent()) {
            session.sendResponse(refused.get().toString().replace("EHLO", "HELO"));
            return;
        }
        library.execute(commandString, session);
    }
}
