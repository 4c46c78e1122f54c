package io.mxcutover.appliance.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * SQLite's native library kept in a directory between runs of the one-shot commands, instead of sqlite-jdbc's way
 * on every start: hash the library inside the jar (MD5), write it to the temp directory under a fresh name, compare
 * it byte by byte, list the temp directory to delete old copies, and delete it again at exit. On a cold JVM all of
 * that runs interpreted: 0.1-0.3 s of a one-shot {@code ./mxcutover sync} re-run that takes ~1.2 s (measured with
 * {@code bench/sync/cold-start.sh}).
 *
 * <p>The launcher names the directory ({@code -Dmxcutover.sqlite.native=DIR}, next to the jar, like its AppCDS
 * archive). The kept copy's name carries the size and CRC-32 the jar records for the library (read from the jar's
 * directory, not from the bytes), so a new driver in a new jar gets a new copy and an old copy is never loaded for
 * it; a copy is written under a private name and moved into place, so concurrent runs never load a half-written
 * one. When anything is missing (no directory given, not writable, the library not in a jar, the user's own {@code
 * org.sqlite.lib.path}), sqlite-jdbc does as it always does.
 */
public final class SqliteNativeLibrary {
    /** The system property the launcher sets to the directory that keeps the library. */
    public static final String DIR_PROPERTY = "mxcutover.sqlite.native";

    private SqliteNativeLibrary() {}

    /**
     * Before the SQLite driver loads: points it at the kept copy in the directory {@link #DIR_PROPERTY} names,
     * writing the copy first when it is missing. Does nothing without that property or when the user set {@code
     * org.sqlite.lib.path}; never fails (a problem leaves the driver's own way in place).
     */
    public static void useKeptCopy() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank() || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        keptCopy(Path.of(dir), SqliteNativeLibrary.class.getResource(resource)).ifPresent(file -> {
            System.setProperty("org.sqlite.lib.path", file.getParent().toString());
            System.setProperty("org.sqlite.lib.name", file.getFileName().toString());
        });
    }

    /**
     * The kept copy of the library at {@code url} (inside a jar) in {@code dir}, written there if missing; empty
     * when the library is not in a jar or the copy cannot be written.
     */
    static Optional<Path> keptCopy(Path dir, URL url) {
        if (url == null) {
            return Optional.empty();
        }
        try {
            URLConnection connection = url.openConnection();
            if (!(connection instanceof JarURLConnection jarConnection)) {
                return Optional.empty();
            }
            connection.setUseCaches(false);
            var entry = jarConnection.getJarEntry();
            if (entry == null || entry.getSize() <= 0 || entry.getCrc() < 0) {
                return Optional.empty();
            }
            String name = String.format(
                    Locale.ROOT,
                    "%016x-%d-%s",
                    entry.getCrc(),
                    entry.getSize(),
                    Path.of(entry.getName()).getFileName());
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file) && Files.size(file) == entry.getSize()) {
                return Optional.of(file);
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            try {
                try (InputStream in = url.openStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                if (Files.size(tmp) != entry.getSize()) {
                    return Optional.empty();
                }
                try {
                    Files.setPosixFilePermissions(
                            tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the temp file's own permissions
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Optional.of(file);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a read-only or full directory: the driver extracts to the temp dir as always
        }
    }
}
