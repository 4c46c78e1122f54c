package io.mxcutover.it;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests real Dovecot, Postfix, NSD and Unbound servers ({@link TestServers}).
 *
 * <pre>{@code
 * @ExtendWith(RealServers.class)
 * class SomethingIT {
 *     @Test
 *     void x(TestServers servers) { ... }   // also in constructors, @BeforeAll, @BeforeEach
 * }
 * }</pre>
 *
 * <p>The first resolution in a JVM runs {@code it/servers.sh start} in
 * {@code <module>/target/it-servers/<jvm pid>/} with free ports picked here; every later one gets
 * the same servers. They are stopped when JUnit closes its root context (after the last test) and,
 * should that not happen, by a JVM shutdown hook. If they cannot start, every test asking for them
 * fails with the script's output (a missing binary: with the install command); none is skipped.
 *
 * <p>A test class annotated {@link SpecialUseFolders @SpecialUseFolders(NONE)} (or nested in one)
 * gets its own set of servers in {@code <jvm pid>-no-special-use/}, whose Dovecots declare no
 * special-use folders: every other class keeps the default set.
 */
public final class RealServers implements ParameterResolver {

    /** Whether the Dovecots declare and auto-create Sent, Drafts, Trash, Junk and Archive. */
    public enum SpecialUse {
        /** Default: both Dovecots announce the five roles by RFC 6154 attribute and create the folders. */
        AUTO(""),
        /**
         * Neither does: an account on new starts with INBOX only (a freshly provisioned account on many
         * servers) and no folder on legacy announces a role (clients, and the sync, go by name).
         */
        NONE("no-special-use");

        private final String dirSuffix;

        SpecialUse(String dirSuffix) {
            this.dirSuffix = dirSuffix;
        }

        Map<String, String> environment() {
            String value = this == AUTO ? "auto" : "none";
            return Map.of("MXCIT_LEGACY_SPECIAL_USE", value, "MXCIT_NEW_SPECIAL_USE", value);
        }
    }

    /** Picks the servers of a test class (and of the classes nested in it); without it, {@link SpecialUse#AUTO}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Inherited
    public @interface SpecialUseFolders {
        SpecialUse value();
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealServers.class);
    private static final String[] PORT_VARS = {
        "LEGACY_IMAP_PORT",
        "LEGACY_LMTP_PORT",
        "NEW_IMAP_PORT",
        "LEGACY_SMTP_PORT",
        "NSD1_PORT",
        "NSD2_PORT",
        "UNBOUND_PORT",
        "UNBOUND_CONTROL_PORT",
        "NEW_LMTP_PORT",
        "NEW_SMTP_PORT"
    };
    /** A server directory: {@code <jvm pid>} or {@code <jvm pid>-<variant>}. */
    private static final Pattern SERVER_DIR = Pattern.compile("([0-9]+)(-[a-z-]+)?");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestServers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        try {
            return servers(context);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    /**
     * The servers of this JVM for the context's test class, started on first use; for extensions and
     * code holding a context.
     */
    public static TestServers servers(ExtensionContext context) {
        SpecialUse variant = variant(context.getTestClass().orElse(null));
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(variant, key -> Running.start(variant), Running.class)
                .servers();
    }

    static SpecialUse variant(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            SpecialUseFolders chosen = c.getAnnotation(SpecialUseFolders.class);
            if (chosen != null) {
                return chosen.value();
            }
        }
        return SpecialUse.AUTO;
    }

    /** The started servers (or why they could not start), closed with JUnit's root context. */
    @SuppressWarnings("deprecation") // CloseableResource for JUnit < 5.13, AutoCloseable for later ones
    static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        private final Path dir;
        private final TestServers servers;
        private final String failure;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final Thread shutdownHook;

        private Running(Path dir, TestServers servers, String failure) {
            this.dir = dir;
            this.servers = servers;
            this.failure = failure;
            this.shutdownHook = new Thread(this::stop, "mxcutover-it-servers-stop");
            if (servers != null) {
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
        }

        static Running start(SpecialUse variant) {
            Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                    .toAbsolutePath()
                    .resolve("target")
                    .resolve("it-servers");
            String pid = Long.toString(ProcessHandle.current().pid());
            Path dir = base.resolve(variant.dirSuffix.isEmpty() ? pid : pid + "-" + variant.dirSuffix);
            try {
                removeAbandoned(base);
                long t0 = System.nanoTime();
                ServersScript.Result result = null;
                // A second attempt with fresh ports covers a port taken between our pick and the bind.
                for (int attempt = 1; attempt <= 2; attempt++) {
                    Map<String, String> env = new LinkedHashMap<>(freePorts());
                    env.putAll(variant.environment());
                    result = ServersScript.run("start", dir, env, START_TIMEOUT);
                    if (result.ok() || result.exitCode() == ServersScript.EXIT_MISSING_BINARY) {
                        break;
                    }
                    System.err.println("[RealServers] start attempt " + attempt + " failed (exit " + result.exitCode()
                            + "):\n" + result.output());
                }
                if (result.exitCode() == ServersScript.EXIT_MISSING_BINARY) {
                    return new Running(
                            dir,
                            null,
                            "Real test servers are not installed: " + result.output() + "\nTo fix: "
                                    + ServersScript.INSTALL_HINT);
                }
                if (!result.ok()) {
                    return new Running(
                            dir,
                            null,
                            "Real test servers did not start (exit " + result.exitCode() + ", files in " + dir + "):\n"
                                    + result.output());
                }
                ServersEnv env = ServersEnv.read(dir.resolve("servers.env"));
                TestServers servers = env.toServers();
                System.out.printf(
                        "[RealServers] Dovecot legacy/new, Postfix, NSD x2 and Unbound up in %d ms "
                                + "(servers.sh: %s ms; special-use folders %s) in %s%n",
                        (System.nanoTime() - t0) / 1_000_000, env.get("STARTED_IN_MS"), variant, dir);
                return new Running(dir, servers, null);
            } catch (RuntimeException e) {
                return new Running(dir, null, "Real test servers did not start (files in " + dir + "): " + e);
            }
        }

        TestServers servers() {
            if (servers == null) {
                throw new IllegalStateException(failure);
            }
            return servers;
        }

        @Override
        public void close() {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNeverAdded) {
                // nothing to undo
            }
        }

        private void stop() {
            if (servers == null || !stopped.compareAndSet(false, true)) {
                return;
            }
            ServersScript.Result result = ServersScript.run("stop", dir, Map.of(), STOP_TIMEOUT);
            if (!result.ok()) {
                System.err.println("[RealServers] stopping the servers in " + dir + " failed (exit " + result.exitCode()
                        + "):\n" + result.output());
            }
        }

        /** Stops and deletes server dirs of JVMs that died without stopping their servers (kill -9, crash). */
        private static void removeAbandoned(Path base) {
            if (!Files.isDirectory(base)) {
                return;
            }
            long self = ProcessHandle.current().pid();
            try (Stream<Path> dirs = Files.list(base)) {
                for (Path old : dirs.toList()) {
                    // <pid> or <pid>-<variant>
                    Matcher name = SERVER_DIR.matcher(old.getFileName().toString());
                    if (!name.matches()) {
                        continue;
                    }
                    long owner = Long.parseLong(name.group(1));
                    if (owner == self
                            || ProcessHandle.of(owner)
                                    .map(ProcessHandle::isAlive)
                                    .orElse(false)) {
                        continue;
                    }
                    ServersScript.run("stop", old, Map.of(), STOP_TIMEOUT);
                    deleteTree(old);
                }
            } catch (IOException e) {
                System.err.println("[RealServers] cannot clean " + base + ": " + e);
            }
        }

        private static void deleteTree(Path root) throws IOException {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * One port per server variable, each free for both TCP and UDP on 127.0.0.1 (DNS needs both);
     * the sockets stay open until all are picked, so the ports differ.
     */
    static Map<String, String> freePorts() {
        Map<String, String> ports = new LinkedHashMap<>();
        List<AutoCloseable> held = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int tries = 0; ports.size() < PORT_VARS.length && tries < 200; tries++) {
                ServerSocket tcp = new ServerSocket(0, 1, loopback);
                held.add(tcp);
                try {
                    held.add(new DatagramSocket(tcp.getLocalPort(), loopback));
                    ports.put(PORT_VARS[ports.size()], Integer.toString(tcp.getLocalPort()));
                } catch (IOException udpTaken) {
                    // try another
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot pick free loopback ports", e);
        } finally {
            for (AutoCloseable socket : held) {
                try {
                    socket.close();
                } catch (Exception ignored) {
                    // closing a probe socket
                }
            }
        }
        if (ports.size() < PORT_VARS.length) {
            throw new IllegalStateException("found only " + ports.size() + " free loopback ports");
        }
        return ports;
    }
}
