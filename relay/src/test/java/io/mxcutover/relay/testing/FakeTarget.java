package io.mxcutover.relay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A downstream SMTP server for tests (a Wiser with knobs): records what it receives (envelope
 * and exact bytes) and fails on command: {@link #rejectRecipient}, {@link #failData}.
 */
public final class FakeTarget implements AutoCloseable {

    /** One message as received. */
    @SuppressWarnings("ArrayRecordComponent") // a test value, compared by its text, never by equals
    public record Received(String sender, List<String> recipients, byte[] data) {
        public String text() {
            return new String(data, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final List<Received> messages = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> recipientReplies = new ConcurrentHashMap<>();
    private volatile int dataReply;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger rcptCount = new AtomicInteger();
    private final SMTPServer server;

    private final List<String> logins = new CopyOnWriteArrayList<>();

    private final List<String> envelopeCommands = new CopyOnWriteArrayList<>();

    public FakeTarget() {
        this(null, null, null, true);
    }

    private FakeTarget(SSLContext tls, String user, String password) {
        this(tls, user, password, true);
    }

    private FakeTarget(SSLContext tls, String user, String password, boolean smtputf8) {
        this(0, tls, user, password, smtputf8);
    }

    private FakeTarget(int port, SSLContext tls, String user, String password, boolean smtputf8) {
        SMTPServer.Builder b = SMTPServer.port(port)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("target.test")
                .softwareName("fake-target")
                .insertReceivedHeaders(false)
                .maxMessageSize(200_000_000)
                .messageHandlerFactory(ctx -> new Handler());
        if (tls != null) {
            b = b.enableTLS().requireTLS().startTlsSocketFactory(tls);
        }
        if (user != null) {
            b = b.requireAuth().authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((u, p, ctx) -> {
                if (!u.equals(user) || !p.equals(password)) {
                    throw new LoginFailedException("535 5.7.8 Authentication credentials invalid");
                }
                logins.add(u);
            }));
        }
        server = b.build();
        org.subethamail.smtp.internal.server.CommandHandler commands = server.getCommandHandler();
        for (String verb : List.of("MAIL", "RCPT")) {
            org.subethamail.smtp.internal.server.Command library = commands.getCommand(verb);
            commands.addCommand(new org.subethamail.smtp.internal.server.BaseCommand(verb, "recorded") {
                @Override
                public void execute(String line, org.subethamail.smtp.server.Session session)
                        throws IOException, org.subethamail.smtp.DropConnectionException {
                    envelopeCommands.add(line);
                    library.execute(line, session);
                }
            });
        }
        if (!smtputf8) {
            commands.addCommand(new org.subethamail.smtp.internal.server.BaseCommand("EHLO", "no SMTPUTF8") {
                @Override
                public void execute(String line, org.subethamail.smtp.server.Session session) throws IOException {
                    session.resetMailTransaction();
                    session.setHelo(getArgs(line).length > 1 ? getArgs(line)[1] : "");
                    session.sendResponse("250-target.test\r\n250-8BITMIME\r\n250 SIZE 200000000");
                }
            });
        }
        server.start();
    }

    /** A target on a given port: a server that was down comes back where the relay looks for it. */
    public static FakeTarget onPort(int port) {
        return new FakeTarget(port, null, null, null, true);
    }

    /** A target whose EHLO does not offer SMTPUTF8 (like Postfix with {@code smtputf8_enable = no}). */
    public static FakeTarget withoutSmtpUtf8() {
        return new FakeTarget(null, null, null, false);
    }

    /** MAIL and RCPT command lines as received (decoded as UTF-8; invalid UTF-8 is refused). */
    public List<String> envelopeCommands() {
        return List.copyOf(envelopeCommands);
    }

    /** A target that takes mail only over STARTTLS (this context) and only after AUTH as user/password. */
    public static FakeTarget requiringTlsAndAuth(SSLContext tls, String user, String password) {
        return new FakeTarget(tls, user, password);
    }

    /** Successful AUTH logins, by user name. */
    public List<String> logins() {
        return List.copyOf(logins);
    }

    public int port() {
        return server.getPortAllocated();
    }

    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /** Reply {@code code} (e.g. 550 or 450) to RCPT for this address from now on. */
    public void rejectRecipient(String address, int code) {
        recipientReplies.put(address.toLowerCase(java.util.Locale.ROOT), code);
    }

    /** Reply {@code code} at end of DATA from now on; 0 = accept again. */
    public void failData(int code) {
        dataReply = code;
    }

    public List<Received> messages() {
        return List.copyOf(messages);
    }

    /** RCPT commands seen, accepted or not (a callout probe is one). */
    public int rcptCommands() {
        return rcptCount.get();
    }

    public int transactions() {
        return sessions.get();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Handler implements MessageHandler {
        private String from;
        private final List<String> rcpts = new CopyOnWriteArrayList<>();

        @Override
        public void from(String f) {
            from = f;
        }

        @Override
        public void recipient(String r) throws RejectException {
            rcptCount.incrementAndGet();
            Integer code = recipientReplies.get(r.toLowerCase(java.util.Locale.ROOT));
            if (code != null) {
                throw new RejectException(code, (code >= 500 ? "5.1.1" : "4.2.1") + " <" + r + ">: refused by test");
            }
            rcpts.add(r);
        }

        @Override
        public String data(InputStream in) throws RejectException, IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            sessions.incrementAndGet();
            int code = dataReply;
            if (code != 0) {
                throw new RejectException(code, (code >= 500 ? "5.7.1" : "4.3.0") + " message refused by test");
            }
            messages.add(new Received(from, List.copyOf(rcpts), b.toByteArray()));
            return "2.0.0 Ok: queued on target";
        }

        @Override
        public void done() {}
    }
}
