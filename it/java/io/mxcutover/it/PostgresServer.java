package io.mxcutover.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests of the shared store (issue 16): its own cluster made by {@code initdb} in a
 * fresh directory under {@code /tmp}, on a free loopback port, never the machine's system cluster. Started by
 * {@code it/servers.sh pg-start DIR} (about two seconds), stopped by {@link #close} ({@code servers.sh stop DIR}, a
 * fast shutdown that also deletes the cluster).
 *
 * <pre>{@code
 * PostgresServer pg = PostgresServer.shared();       // one per JVM, stopped when the JVM exits
 * String url = pg.newDatabase("sync_contract");       // an empty database of its own per test
 * }</pre>
 *
 * <p>A JVM that dies leaves its server to {@link RealServers}' clean-up of abandoned directories (DIR is
 * {@code <module>/target/it-servers/<jvm pid>-pg}).
 */
public record PostgresServer(String host, int port, String user, String password, String url, Path log, Path dir)
        implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    /** The directory for this JVM's instance: {@code <module>/target/it-servers/<jvm pid>-pg}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath()
                .resolve("target")
                .resolve("it-servers")
                .resolve(ProcessHandle.current().pid() + "-pg");
    }

    /** This JVM's server, started on first use and stopped by a shutdown hook. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer started = start(defaultDir());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "mxcutover-it-postgres-stop"));
            shared = started;
        }
        return shared;
    }

    /** Starts a server in {@code dir}. */
    public static PostgresServer start(Path dir) {
        ServersScript.Result result = ServersScript.run("pg-start", dir, Map.of(), START_TIMEOUT);
        if (result.exitCode() == ServersScript.EXIT_MISSING_BINARY) {
            throw new IllegalStateException(
                    "PostgreSQL is not installed: " + result.output() + "\nTo fix: " + ServersScript.INSTALL_HINT);
        }
        if (!result.ok()) {
            throw new IllegalStateException("PostgreSQL did not start (exit " + result.exitCode() + ", files in " + dir
                    + "):\n" + result.output());
        }
        ServersEnv env = ServersEnv.read(dir.resolve("servers.env"));
        return new PostgresServer(
                env.get("HOST"),
                Integer.parseInt(env.get("PG_PORT")),
                env.get("PG_USER"),
                env.get("PG_PASSWORD"),
                env.get("PG_URL"),
                Path.of(env.get("PG_LOG")),
                dir);
    }

    /**
     * Creates an empty database owned by {@link #user} and returns its JDBC URL. The name is {@code prefix}
     * (lower-cased, letters, digits and underscores) plus a counter, so repeated calls never collide.
     */
    public String newDatabase(String prefix) {
        String name = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + user);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + url + ": " + e.getMessage(), e);
        }
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    /** Password is not printed (the suite's logs are checked for secrets). */
    @Override
    public String toString() {
        return "PostgresServer[" + url + ", user " + user + ", dir " + dir + "]";
    }

    @Override
    public void close() {
        ServersScript.Result result = ServersScript.run("stop", dir, Map.of(), STOP_TIMEOUT);
        if (!result.ok()) {
            System.err.println("[PostgresServer] stopping the server in " + dir + " failed (exit " + result.exitCode()
                    + "):\n" + result.output());
        }
    }
}
