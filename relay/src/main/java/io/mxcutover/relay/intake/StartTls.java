package io.mxcutover.relay.intake;

import java.io.IOException;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.Session;

/**
 * The library's STARTTLS, followed by putting our unsynchronised input buffer back on the
 * now-encrypted socket (the library rebuilds its own), so mail over TLS is read as fast as mail
 * in plaintext. Nothing read before the handshake survives it: the new buffer starts empty.
 */
final class StartTls implements Command {

    private final Command library;

    StartTls(Command library) {
        this.library = library;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        library.execute(commandString, session);
        if (session.isTLSStarted() && !SessionInput.installed(session)) {
            SessionInput.install(session);
        }
    }

    @Override
    public HelpMessage getHelp() throws CommandException {
        return library.getHelp();
    }

    @Override
    public String getName() {
        return library.getName();
    }
}
