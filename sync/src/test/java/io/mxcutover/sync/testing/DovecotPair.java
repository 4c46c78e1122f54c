package io.mxcutover.sync.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Dovecot pair for sync ITs: legacy (separator '.', prefix "INBOX.", Maildir++) and new
 * (separator '/', no prefix), started once per JVM by {@code bench/sync/dovecot-pair.sh} in
 * {@code target/dovecot-pair} on free loopback ports, stopped by PID at JVM exit. Master user
 * {@code master/master-pw} on both. {@link Servers#newUser} creates a fresh user on both sides,
 * so tests do not share mailboxes.
 *
 * <p>XXX: the project-wide {@code io.mxcutover.it.RealServers} extension was not yet available
 * when these tests were written; this uses the same kind of servers (the same Debian Dovecot,
 * own config, loopback). Switch to RealServers once it lands.
 */
public final class DovecotPair implements ParameterResolver {
    public record Server(String name, String host, int port, String masterUser, String masterPassword,
                         char separator, String prefix) {
        public String uri() {
            return "imap://" + host + ":" + port;
        }
    }

    public record Servers(Server legacy, Server target, Path dir) {
        private static final AtomicInteger SEQ = new AtomicInteger();

        /** A new user with the same login and password on both servers. */
        public String newUser(String hint) {
            String login = hint + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
            run(List.of(script().toString(), "adduser", dir.toString(), login, login + "-pw"));
            return login;
        }
    }

    private static Servers servers;

    static Path repo() {
        String prop = System.getProperty("mxcutover.repo");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath().getParent();
        return Files.exists(p.resolve("bench/sync/dovecot-pair.sh")) ? p : Path.of("").toAbsolutePath();
    }

    static Path script() {
        return repo().resolve("bench/sync/dovecot-pair.sh");
    }

    public static synchronized Servers servers() {
        if (servers == null) {
            Path dir = Path.of("target", "dovecot-pair-" + ProcessHandle.current().pid()).toAbsolutePath();
            run(List.of(script().toString(), "start", dir.toString()));
            Map<String, String> env = new HashMap<>();
            try {
                for (String line : Files.readAllLines(dir.resolve("pair.env"))) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        env.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("Dovecot pair did not write pair.env in " + dir, e);
            }
            servers = new Servers(
                    new Server("legacy", "127.0.0.1", Integer.parseInt(env.get("LEGACY_PORT")), "master", "master-pw", '.', "INBOX."),
                    new Server("new", "127.0.0.1", Integer.parseInt(env.get("NEW_PORT")), "master", "master-pw", '/', ""),
                    dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> run(List.of(script().toString(), "stop", dir.toString()))));
        }
        return servers;
    }

    static void run(List<String> command) {
        try {
            // Output to a file, not a pipe: the Dovecot daemons inherit it and would keep a pipe open forever.
            Path log = Files.createTempFile("dovecot-pair", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            String output = Files.readString(log);
            Files.deleteIfExists(log);
            if (!exited || p.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return pc.getParameter().getType() == Servers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        return servers();
    }
}
