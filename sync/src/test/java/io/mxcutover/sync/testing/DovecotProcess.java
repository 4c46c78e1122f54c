package io.mxcutover.sync.testing;

import io.mxcutover.it.ImapServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Stops and starts one of the {@code RealServers} Dovecots by PID, for tests of a server going away
 * mid-pass: the instance is found by its IMAP port in {@code <module>/target/it-servers/<dir>/servers.env},
 * stopped (SIGTERM to the master, SIGKILL to its processes: open sessions drop at once) and started again
 * with its own configuration; the new master's PID goes to its {@code server.pid}, so
 * {@code it/servers.sh stop} still stops it at the end of the run.
 */
public final class DovecotProcess {
    private final Path dir;
    private final String host;
    private final int port;

    private DovecotProcess(Path dir, String host, int port) {
        this.dir = dir;
        this.host = host;
        this.port = port;
    }

    public static DovecotProcess of(ImapServer server) {
        String key = server.name().toUpperCase(Locale.ROOT) + "_IMAP_PORT=" + server.port();
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath()
                .resolve("target")
                .resolve("it-servers");
        try (Stream<Path> dirs = Files.list(base)) {
            for (Path d : dirs.toList()) {
                Path env = d.resolve("servers.env");
                if (Files.exists(env) && Files.readAllLines(env).contains(key)) {
                    return new DovecotProcess(d.resolve("dovecot-" + server.name()), server.host(), server.port());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no RealServers directory under " + base + " has " + key);
    }

    /** SIGTERM to the master; returns once it is gone and the port refuses connections. */
    public void stop() {
        long pid = pid(dir.resolve("server.pid"));
        ProcessHandle master = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("Dovecot " + pid + " is not running"));
        // Its IMAP processes too (SIGKILL): a session that outlived its master would keep serving the sync.
        List<ProcessHandle> children = master.descendants().toList();
        master.destroy();
        children.forEach(ProcessHandle::destroyForcibly);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !master.isAlive() && !answers());
    }

    /** Starts the same instance again; returns once its IMAP port answers. */
    public void start() {
        try {
            // Dovecot daemonizes: its output goes to a file, a pipe would stay open as long as the daemon runs.
            Process p = new ProcessBuilder(
                            "/usr/sbin/dovecot",
                            "-c",
                            dir.resolve("dovecot.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("restart.log").toFile()))
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(
                        "dovecot -c " + dir + "/dovecot.conf failed, see " + dir.resolve("restart.log"));
            }
            Path masterPid = baseDir().resolve("master.pid");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(masterPid) && answers());
            Files.writeString(dir.resolve("server.pid"), pid(masterPid) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Path baseDir() throws IOException {
        List<String> conf = Files.readAllLines(dir.resolve("dovecot.conf"));
        return conf.stream()
                .filter(l -> l.startsWith("base_dir = "))
                .map(l -> Path.of(l.substring("base_dir = ".length()).strip()))
                .findFirst()
                .orElseThrow();
    }

    private boolean answers() {
        try (Socket s = new Socket(host, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long pid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
