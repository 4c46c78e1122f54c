package io.mxcutover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code it/servers.sh}, the one place that knows how to start and stop the test servers. */
final class ServersScript {

    /** Exit code of {@code servers.sh start} when a server binary is not installed. */
    static final int EXIT_MISSING_BINARY = 3;

    static final String INSTALL_HINT = "run 'it/servers.sh install' (as root or with sudo) to install "
            + "dovecot-imapd dovecot-lmtpd postfix nsd unbound swaks isync dnsutils openssl systemd";

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private ServersScript() {}

    /** {@code it/servers.sh} of this checkout: from system property mxcutover.repo, else above the working directory. */
    static Path locate() {
        String repo = System.getProperty("mxcutover.repo");
        if (repo != null && !repo.isBlank()) {
            Path candidate = Path.of(repo, "it", "servers.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("it").resolve("servers.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find it/servers.sh (looked in system property mxcutover.repo=" + repo
                + " and above " + Path.of("").toAbsolutePath() + ")");
    }

    /**
     * Runs {@code servers.sh command dir} with extra environment {@code env}; output goes to a file
     * in {@code dir}, never to a pipe (a daemon that kept the pipe open would hang the read).
     */
    static Result run(String command, Path dir, Map<String, String> env, Duration timeout) {
        Path script = locate();
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve("servers-" + command + ".log");
            List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), command, dir.toString()));
            ProcessBuilder builder = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Result(
                        124,
                        read(log) + "\n(servers.sh " + command + " did not finish within " + timeout.toSeconds()
                                + " s and was killed)");
            }
            return new Result(process.exitValue(), read(log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script + " " + command + " " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running servers.sh " + command, e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log)
                    ? Files.readString(log, StandardCharsets.UTF_8).strip()
                    : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
