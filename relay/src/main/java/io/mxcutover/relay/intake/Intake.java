package io.mxcutover.relay.intake;

import io.mxcutover.relay.RelayMetrics;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.spool.FileSpool;
import io.mxcutover.relay.spool.SpoolEntry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.server.SMTPServer;

/** The SMTP listener: builds, starts and stops the SubEthaSMTP server with our handler and limits. */
public final class Intake implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    /** What to do with bare CR or LF inside DATA (SMTP smuggling). */
    public enum BareLineEndings {
        /** 550 5.6.11 after reading the whole message (Postfix {@code smtpd_forbid_bare_newline = reject}). */
        REJECT,
        /** Turn them into CRLF before spooling (Postfix 3.9's default {@code normalize}). */
        NORMALIZE
    }

    /**
     * Listener settings.
     *
     * @param maxReceivedHeaders a message with this many Received headers is refused as a loop
     *                           (554 5.4.6; Postfix {@code hopcount_limit} is 50)
     * @param tls                STARTTLS context when a certificate is configured
     */
    public record Settings(
            String bindAddress,
            int port,
            String hostname,
            long maxMessageSize,
            int maxRecipients,
            int maxConnections,
            int maxConnectionsPerClient,
            Duration idleTimeout,
            Duration sessionDeadline,
            int maxReceivedHeaders,
            BareLineEndings bareLineEndings,
            Optional<SSLContext> tls) {
        public Settings {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(hostname, "hostname");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("listen port out of range: " + port);
            }
            if (maxMessageSize < 1 || maxMessageSize > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxMessageSize must be between 1 and " + Integer.MAX_VALUE);
            }
            if (maxRecipients < 1 || maxConnections < 1 || maxConnectionsPerClient < 1 || maxReceivedHeaders < 1) {
                throw new IllegalArgumentException("limits must be at least 1");
            }
            Objects.requireNonNull(bareLineEndings, "bareLineEndings");
            Objects.requireNonNull(tls, "tls");
        }

        /** The limits {@link ContentPolicy} judges a whole message by. */
        public ContentPolicy.Limits contentLimits() {
            return new ContentPolicy.Limits(maxMessageSize, bareLineEndings, maxReceivedHeaders);
        }
    }

    private final Settings settings;
    private final FileSpool spool;
    private final Supplier<RoutingTable> routes;
    private final Consumer<SpoolEntry> spooled;
    private final Optional<RecipientCallout> callout;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final ScheduledThreadPoolExecutor watchdog;
    private SMTPServer server;

    public Intake(
            Settings settings,
            FileSpool spool,
            Supplier<RoutingTable> routes,
            Consumer<SpoolEntry> spooled,
            Optional<RecipientCallout> callout,
            Clock clock,
            RelayMetrics metrics) {
        this.settings = settings;
        this.spool = spool;
        this.routes = routes;
        this.spooled = spooled;
        this.callout = callout;
        this.clock = clock;
        this.metrics = metrics;
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "smtp-session-watchdog");
            t.setDaemon(true);
            return t;
        });
        this.watchdog.setRemoveOnCancelPolicy(true);
    }

    public synchronized void start() throws IOException {
        AtomicInteger n = new AtomicInteger();
        // Bounded: SubEthaSMTP refuses with 421 above maxConnections; the pool never grows past it.
        ExecutorService sessions = new ThreadPoolExecutor(
                0, settings.maxConnections() + 16, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "smtp-session-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        SMTPServer.Builder b = SMTPServer.port(settings.port())
                .bindAddress(InetAddress.getByName(settings.bindAddress()))
                .hostName(settings.hostname())
                .softwareName("mxcutover")
                .messageHandlerFactory(ctx -> new IntakeHandler(this, ctx))
                .maxMessageSize((int) settings.maxMessageSize())
                // we answer 452 4.5.3 ourselves; SubEthaSMTP's own check must never be reached first
                .maxRecipients(settings.maxRecipients() + 1000)
                .maxConnections(settings.maxConnections())
                .connectionTimeout(
                        (int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()), TimeUnit.MILLISECONDS)
                .sessionHandler(
                        new SessionGuard(settings.maxConnectionsPerClient(), settings.sessionDeadline(), watchdog))
                .insertReceivedHeaders(false)
                .fromAddressValidator(a -> true)
                .executorService(sessions)
                .serverThreadName("smtp-accept");
        if (settings.tls().isPresent()) {
            b = b.enableTLS()
                    .startTlsSocketFactory(new TlsSockets(settings.tls().get()));
        }
        server = b.build();
        // Our EHLO, HELO, MAIL, RCPT, DATA and STARTTLS replace the library's (same verb, so the map entry is
        // overwritten) before any session exists; see each class for why.
        CommandHandler commands = server.getCommandHandler();
        commands.addCommand(new Ehlo());
        commands.addCommand(new Helo(commands.getCommand("HELO")));
        commands.addCommand(new MailFrom(commands.getCommand("MAIL"), metrics));
        commands.addCommand(new RcptTo(commands.getCommand("RCPT"), metrics));
        commands.addCommand(new Data(commands.getCommand("DATA")));
        commands.addCommand(new StartTls(commands.getCommand("STARTTLS")));
        server.start();
        LOG.info(
                "SMTP relay listening on {}:{} as {}",
                settings.bindAddress(),
                server.getPortAllocated(),
                settings.hostname());
    }

    public synchronized InetSocketAddress listenAddress() {
        if (server == null) {
            throw new IllegalStateException("intake not started");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), server.getPortAllocated());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
        watchdog.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }

    Settings settings() {
        return settings;
    }

    FileSpool spool() {
        return spool;
    }

    Supplier<RoutingTable> routes() {
        return routes;
    }

    Consumer<SpoolEntry> spooled() {
        return spooled;
    }

    Optional<RecipientCallout> callout() {
        return callout;
    }

    Clock clock() {
        return clock;
    }

    RelayMetrics metrics() {
        return metrics;
    }
}
