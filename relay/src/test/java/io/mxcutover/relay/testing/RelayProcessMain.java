package io.mxcutover.relay.testing;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.relay.Relay;
import io.mxcutover.relay.RelaySettings;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.intake.TlsProvider;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.spool.SpoolFaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a relay in its own JVM for crash tests and benchmarks.
 * Arguments: {@code <spool dir> <target host:port> <port file> [haltAt=STEP:n] [domain=example.test]
 * [workers=n] [listen=port] [maxSize=bytes] [tls=PKCS12 keystore:password]
 * [tlsProvider=auto|native|jdk]}. Writes the listening port to the port file once
 * ready, then runs until killed. {@code haltAt=FORCE:25} halts the JVM abruptly (no shutdown
 * hooks, like kill -9) just before the 25th spool FORCE step.
 */
public final class RelayProcessMain {

    private RelayProcessMain() {}

    public static void main(String[] args) throws Exception {
        Path spool = Path.of(args[0]);
        NextHop target = NextHop.of(args[1]);
        Path portFile = Path.of(args[2]);
        SpoolFaults faults = SpoolFaults.NONE;
        String domain = "example.test";
        int workers = 4;
        int port = 0;
        long maxSize = 60L * 1024 * 1024;
        Path tlsKeystore = null;
        String tlsPassword = null;
        TlsProvider tlsProvider = TlsProvider.AUTO;
        for (int i = 3; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("haltAt=")) {
                String[] p = a.substring(7).split(":");
                SpoolFaults.Step step = SpoolFaults.Step.valueOf(p[0].toUpperCase(Locale.ROOT));
                int n = Integer.parseInt(p[1]);
                AtomicInteger seen = new AtomicInteger();
                faults = (s, id) -> {
                    if (s == step && seen.incrementAndGet() >= n) {
                        Runtime.getRuntime().halt(137);
                    }
                };
            } else if (a.startsWith("domain=")) {
                domain = a.substring(7);
            } else if (a.startsWith("workers=")) {
                workers = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("listen=")) {
                port = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("maxSize=")) {
                maxSize = Long.parseLong(a.substring(8));
            } else if (a.startsWith("tls=")) {
                int colon = a.lastIndexOf(':');
                tlsKeystore = Path.of(a.substring(4, colon));
                tlsPassword = a.substring(colon + 1);
            } else if (a.startsWith("tlsProvider=")) {
                tlsProvider = TlsProvider.parse("tlsProvider", a.substring(12));
            }
        }
        RoutingTable table = RoutingTable.of(
                DomainRoute.relaying(domain, List.of(target), List.of()).withSoftBounce(false));
        RelaySettings.Builder settings = RelaySettings.builder(spool);
        if (tlsKeystore != null) {
            settings.tls(tlsKeystore, tlsPassword).tlsProvider(tlsProvider);
        }
        Relay relay = new Relay(
                settings.listen("127.0.0.1", port)
                        .hostname("mx.crash.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(workers)
                        .maxMessageSize(maxSize)
                        .maxConnections(500)
                        .maxConnectionsPerClient(500)
                        .retry(new RetrySchedule(
                                Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofDays(5), Duration.ofDays(1)))
                        .clientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30))
                        .build(),
                () -> table,
                Clock.systemUTC(),
                new MetricRegistry(),
                faults);
        relay.start();
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(relay.listenAddress().getPort()));
        Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("relay: " + relay.groupCommitStats());
            relay.stop();
        }));
        Thread.currentThread().join();
    }
}
