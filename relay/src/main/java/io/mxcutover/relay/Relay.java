package io.mxcutover.relay;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.relay.forward.SmtpForwarder;
import io.mxcutover.relay.intake.Intake;
import io.mxcutover.relay.intake.RecipientCallout;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.schedule.DeliveryScheduler;
import io.mxcutover.relay.schedule.QueueOperations;
import io.mxcutover.relay.spool.FileSpool;
import io.mxcutover.relay.spool.SpoolFaults;
import io.mxcutover.relay.spool.SpoolRecovery;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay as one object: spool recovery, the SMTP listener and the delivery workers.
 * {@link #start()} recovers the spool before it accepts or delivers anything; {@link #stop()}
 * stops accepting first, then lets workers finish their current attempt.
 */
public final class Relay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final RelaySettings settings;
    private final Supplier<RoutingTable> routes;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final SpoolFaults faults;
    private FileSpool spool;
    private Intake intake;
    private DeliveryScheduler scheduler;
    private ScheduledThreadPoolExecutor writeTimeouts;
    private volatile InetSocketAddress listen;

    public Relay(RelaySettings settings, Supplier<RoutingTable> routes, Clock clock, MetricRegistry metrics) {
        this(settings, routes, clock, metrics, SpoolFaults.NONE);
    }

    /** For tests: with a spool fault-injection hook. */
    public Relay(
            RelaySettings settings,
            Supplier<RoutingTable> routes,
            Clock clock,
            MetricRegistry metrics,
            SpoolFaults faults) {
        this.settings = settings;
        this.routes = routes;
        this.clock = clock;
        this.metrics = new RelayMetrics(metrics);
        this.faults = faults;
    }

    /** The relay's counters; the embedder may install a latency observer on them before {@link #start()}. */
    public RelayMetrics metrics() {
        return metrics;
    }

    public synchronized void start() throws IOException {
        if (intake != null) {
            throw new IllegalStateException("relay already started");
        }
        LOG.info("starting relay: {}", settings);
        spool = FileSpool.open(settings.spoolDirectory(), clock, faults, settings.minFreeSpace());
        SpoolRecovery.Report report = SpoolRecovery.recover(spool);
        writeTimeouts = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "smtp-client-write-timeout");
            t.setDaemon(true);
            return t;
        });
        writeTimeouts.setRemoveOnCancelPolicy(true);
        SmtpForwarder.Settings client = new SmtpForwarder.Settings(
                settings.hostname(),
                settings.connectTimeout(),
                settings.readTimeout(),
                settings.outboundTls(),
                Duration.ofSeconds(10),
                1000,
                settings.targetPolicies());
        scheduler = new DeliveryScheduler(
                spool,
                routes,
                () -> new SmtpForwarder(client, clock, this::pointsAtSelf, writeTimeouts),
                new DeliveryScheduler.Settings(
                        settings.deliveryWorkers(), settings.retry(), settings.hostname(), settings.bounceRelay()),
                clock,
                metrics);
        scheduler.load(report);
        Optional<RecipientCallout> callout = settings.recipientCallout()
                ? Optional.of(new RecipientCallout(settings.hostname(), Duration.ofSeconds(10), clock))
                : Optional.empty();
        intake = new Intake(
                new Intake.Settings(
                        settings.listenAddress(),
                        settings.port(),
                        settings.hostname(),
                        settings.maxMessageSize(),
                        settings.maxRecipients(),
                        settings.maxConnections(),
                        settings.maxConnectionsPerClient(),
                        settings.idleTimeout(),
                        settings.sessionDeadline(),
                        settings.maxReceivedHeaders(),
                        settings.bareLineEndings(),
                        sslContext()),
                spool,
                routes,
                scheduler::messageSpooled,
                callout,
                clock,
                metrics);
        intake.start();
        listen = intake.listenAddress();
        scheduler.start();
    }

    public synchronized void stop() {
        if (intake != null) {
            intake.stop();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (spool != null) {
            spool.close();
        }
        if (writeTimeouts != null) {
            writeTimeouts.shutdownNow();
        }
        intake = null;
        scheduler = null;
        spool = null;
        LOG.info("relay stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** The bound address and port (the real port when 0 was configured). */
    public InetSocketAddress listenAddress() {
        InetSocketAddress l = listen;
        if (l == null) {
            throw new IllegalStateException("relay not started");
        }
        return l;
    }

    public QueueOperations queue() {
        DeliveryScheduler s = scheduler;
        if (s == null) {
            throw new IllegalStateException("relay not started");
        }
        return s.queue();
    }

    /** Directory fsync rounds vs. commit requests (group-commit effectiveness), for diagnostics. */
    public String groupCommitStats() {
        FileSpool s = spool;
        return s == null
                ? ""
                : s.directorySyncRequests() + " commits in " + s.directorySyncRounds() + " directory fsyncs";
    }

    /** True when {@code target} is this relay's own listener (a mail loop). */
    boolean pointsAtSelf(NextHop target) {
        InetSocketAddress l = listen;
        if (l == null || target.port() != l.getPort()) {
            return false;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(target.host())) {
                boolean local =
                        a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
                if (local
                        && (l.getAddress().isAnyLocalAddress() || l.getAddress().equals(a))) {
                    return true;
                }
            }
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
        return false;
    }

    private Optional<SSLContext> sslContext() throws IOException {
        if (settings.tlsKeystore().isEmpty()) {
            return Optional.empty();
        }
        char[] password = settings.tlsKeystorePassword().orElse("").toCharArray();
        try (InputStream in = Files.newInputStream(settings.tlsKeystore().get())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return Optional.of(settings.tlsProvider().serverContext(kmf.getKeyManagers()));
        } catch (GeneralSecurityException e) {
            throw new IOException(
                    "cannot load TLS keystore " + settings.tlsKeystore().get() + " (check the file and its password): "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }
}
