package io.mxcutover.relay.intake;

import io.mxcutover.relay.smtp.SmtpReply;
import java.io.IOException;
import java.util.Optional;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * Our EHLO, registered in place of SubEthaSMTP's through the server's public command handler
 * ({@code SMTPServer.getCommandHandler().addCommand}), because the library's reply cannot be
 * extended. It advertises what the relay serves: PIPELINING (commands are answered strictly in
 * order and DATA is read to its exact end, so pipelined input is never misparsed), SIZE,
 * 8BITMIME, STARTTLS only while the session is still in plaintext (RFC 3207 §4.2; the library
 * repeats it after the handshake), CHUNKING and SMTPUTF8 (RFC 6531: UTF-8 addresses are taken
 * only in a transaction that declared it, {@link EnvelopeCommand}, and forwarded only to a next
 * hop that offers it). The name must be ASCII (501 5.5.4 otherwise). Not ENHANCEDSTATUSCODES: several library replies ({@code 250 Ok} to MAIL, RCPT, RSET, NOOP,
 * {@code 500} for unknown commands, timeouts) carry none and cannot be changed cleanly. No AUTH:
 * the relay takes mail from the Internet, it does not authenticate submitters.
 */
final class Ehlo extends BaseCommand {

    Ehlo() {
        super("EHLO", "Introduce yourself.", "<hostname>");
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
        String[] args = getArgs(commandString);
        Optional<SmtpReply> refused = EnvelopeCommand.helo(args.length < 2 ? "" : args[1]);
        if (refused.isPresent()) {
            session.sendResponse(refused.get().toString());
            return;
        }
        // RFC 5321 §4.1.4: EHLO also resets any transaction in progress.
        session.resetMailTransaction();
        session.setHelo(args[1]);
        session.sendResponse(reply(session.getServer(), session.isTLSStarted()));
    }

    static String reply(SMTPServer server, boolean tlsStarted) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("250-").append(server.getHostName());
        sb.append("\r\n250-PIPELINING");
        if (server.getMaxMessageSize() > 0) {
            sb.append("\r\n250-SIZE ").append(server.getMaxMessageSize());
        }
        sb.append("\r\n250-8BITMIME");
        if (server.getEnableTLS() && !server.getHideTLS() && !tlsStarted) {
            sb.append("\r\n250-STARTTLS");
        }
        sb.append("\r\n250-CHUNKING");
        sb.append("\r\n250 SMTPUTF8");
        return sb.toString();
    }
}
