package io.mxcutover.appliance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Temporary directories and files of the tests, removed when the test JVM exits: a suite run on a long-lived
 * machine leaves nothing in /tmp (it used to leave ~20 MB per run). A failing test's assertion message carries
 * what it needs from them.
 */
public final class TempDirs {
    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::removeAll, "test-temp-cleanup"));
    }

    private TempDirs() {}

    public static Path dir(String prefix) {
        try {
            return remember(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path file(String prefix, String suffix) {
        try {
            return remember(Files.createTempFile(prefix, suffix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path remember(Path p) {
        CREATED.add(p);
        return p;
    }

    private static void removeAll() {
        for (Path root : CREATED) {
            try (var paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // best effort at exit: a file a child process still writes may come back
            }
        }
    }
}
