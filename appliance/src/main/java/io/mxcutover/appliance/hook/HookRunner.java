package io.mxcutover.appliance.hook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs one hook command and says how it ended. Without a shell ({@link ProcessBuilder} with the list as
 * given), with a cleared environment plus {@code PATH}, {@code LANG} and the event's variables, stdin
 * at end of file, output into a temporary file (a hook that writes a lot cannot block on a full pipe) of
 * which the first {@link #OUTPUT_LIMIT} bytes are kept. At the timeout the process and everything it
 * started are killed.
 */
public final class HookRunner {
    /** Bytes of a hook's output that are kept for the audit log. */
    public static final int OUTPUT_LIMIT = 2000;

    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private final Clock clock;
    private final Path tempDir;

    public HookRunner(Clock clock, Path tempDir) {
        this.clock = clock;
        this.tempDir = tempDir;
    }

    public HookRun run(
            String hook, List<String> command, Path workingDirectory, Duration timeout, HookContext context) {
        return run(hook, command, workingDirectory, timeout, context, null);
    }

    /**
     * As {@link #run(String, List, Path, Duration, HookContext)}, with {@code stdin} written to the hook's
     * standard input through a pipe and then closed (the set-password hook reads the user's password there: a
     * pipe is read once, and unlike the environment or the arguments it is not visible in /proc to other users).
     * {@code null}: stdin at end of file.
     */
    public HookRun run(
            String hook,
            List<String> command,
            Path workingDirectory,
            Duration timeout,
            HookContext context,
            byte[] stdin) {
        Instant startedAt = clock.instant();
        long t0 = System.nanoTime();
        Path out = null;
        Process p = null;
        try {
            Files.createDirectories(tempDir);
            out = Files.createTempFile(tempDir, "hook-", ".out");
            ProcessBuilder pb = new ProcessBuilder(command);
            Map<String, String> env = pb.environment();
            // Nothing of the appliance's own environment goes on: MXCUTOVER_SYNC_KEY and the variables the YAML
            // takes its passwords from live there.
            String path = System.getenv("PATH");
            env.clear();
            env.put("PATH", path == null || path.isBlank() ? DEFAULT_PATH : path);
            env.put("LANG", "C.UTF-8");
            env.putAll(context.environment());
            if (workingDirectory != null) {
                pb.directory(workingDirectory.toFile());
            }
            pb.redirectInput(
                    stdin == null
                            ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                            : ProcessBuilder.Redirect.PIPE);
            pb.redirectErrorStream(true);
            pb.redirectOutput(out.toFile());
            p = pb.start();
            if (stdin != null) {
                try (java.io.OutputStream in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // The hook closed its stdin without reading: its exit code says how it ended.
                }
            }
            boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                kill(p);
                return new HookRun(
                        hook,
                        command,
                        context,
                        startedAt,
                        since(t0),
                        HookRun.Outcome.TIMED_OUT,
                        OptionalInt.empty(),
                        read(out));
            }
            int exit = p.exitValue();
            return new HookRun(
                    hook,
                    command,
                    context,
                    startedAt,
                    since(t0),
                    exit == 0 ? HookRun.Outcome.OK : HookRun.Outcome.FAILED,
                    OptionalInt.of(exit),
                    read(out));
        } catch (IOException e) {
            return new HookRun(
                    hook,
                    command,
                    context,
                    startedAt,
                    since(t0),
                    HookRun.Outcome.NOT_STARTED,
                    OptionalInt.empty(),
                    String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            // The appliance stops: the hook is killed like one that timed out.
            if (p != null) {
                kill(p);
            }
            Thread.currentThread().interrupt();
            return new HookRun(
                    hook,
                    command,
                    context,
                    startedAt,
                    since(t0),
                    HookRun.Outcome.TIMED_OUT,
                    OptionalInt.empty(),
                    "stopped with the appliance");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // A left-over temp file is harmless; it holds no secret.
                }
            }
        }
    }

    private static void kill(Process p) {
        // Children first: once the parent is gone they are re-parented and no longer its descendants.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static String read(Path file) throws IOException {
        byte[] head = new byte[OUTPUT_LIMIT];
        int n = 0;
        boolean more;
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
                n += r;
            }
            more = in.read() >= 0;
        }
        String text = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(java.nio.ByteBuffer.wrap(head, 0, n))
                .toString()
                .strip();
        return more ? text + " ... (output cut at " + OUTPUT_LIMIT + " bytes)" : text;
    }
}
