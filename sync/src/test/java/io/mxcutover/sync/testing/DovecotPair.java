package io.mxcutover.sync.testing;

import io.mxcutover.it.ImapServer;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The project's real Dovecot pair ({@link RealServers}: legacy with separator '.' and prefix
 * "INBOX.", new with '/'), seen the way sync tests need it: endpoints, the master user, and
 * {@link Servers#newUser} for a fresh mailbox on both sides, so tests never share mailboxes.
 */
public final class DovecotPair implements ParameterResolver {
    public record Server(
            String name,
            String host,
            int port,
            String masterUser,
            String masterPassword,
            char separator,
            String prefix,
            ImapServer real) {
        public String uri() {
            // STARTTLS is offered with a self-signed certificate: trust it for this host only.
            return "imap://" + host + ":" + port + "?trust=any";
        }
    }

    public record Servers(Server legacy, Server target) {
        private static final AtomicInteger SEQ = new AtomicInteger();

        /** A new user with the same login and password ({@code <login>-pw}) on both servers. */
        public String newUser(String hint) {
            String login = hint + ProcessHandle.current().pid() + "x" + SEQ.incrementAndGet();
            legacy.real().createUser(login, login + "-pw");
            target.real().createUser(login, login + "-pw");
            // Dovecot re-reads a passwd-file at most once a second: wait until both know the user.
            for (Server s : java.util.List.of(legacy, target)) {
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(10))
                        .pollInterval(java.time.Duration.ofMillis(200))
                        .ignoreExceptions()
                        .until(() -> {
                            try (RawImapClient c = new RawImapClient(s.host(), s.port(), login, login + "-pw")) {
                                return true;
                            }
                        });
            }
            return login;
        }
    }

    public static Servers of(TestServers t) {
        return new Servers(server(t.legacyImap()), server(t.newImap()));
    }

    private static Server server(ImapServer s) {
        return new Server(
                s.name(), s.host(), s.port(), s.masterUser(), s.masterPassword(), s.separator(), s.prefix(), s);
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return pc.getParameter().getType() == Servers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        return of(RealServers.servers(ec));
    }
}
