package io.mxcutover.appliance.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteNativeLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void keptCopyShouldBeWrittenOnceAndNamedAfterTheJarsSizeAndCrc() throws Exception {
        URL lib = jarEntry(tmp.resolve("a.jar"), "native/libfake.so", "library bytes, version 1");
        Path dir = tmp.resolve("kept");

        Path first = SqliteNativeLibrary.keptCopy(dir, lib).orElseThrow();
        Files.setLastModifiedTime(first, FileTime.fromMillis(1_000_000));
        Path second = SqliteNativeLibrary.keptCopy(dir, lib).orElseThrow();

        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(first)).isEqualTo("library bytes, version 1");
        assertThat(first.getFileName().toString()).endsWith("-24-libfake.so");
        assertThat(Files.getLastModifiedTime(second).toMillis())
                .as("not written again")
                .isEqualTo(1_000_000);
        assertThat(Files.getPosixFilePermissions(first)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temp file left").containsExactly(first);
        }
    }

    @Test
    void aNewLibraryShouldGetItsOwnCopyAndACutCopyShouldBeReplaced() throws Exception {
        Path dir = tmp.resolve("kept");
        Path v1 = SqliteNativeLibrary.keptCopy(dir, jarEntry(tmp.resolve("a.jar"), "n/lib.so", "one"))
                .orElseThrow();
        Path v2 = SqliteNativeLibrary.keptCopy(dir, jarEntry(tmp.resolve("b.jar"), "n/lib.so", "two!"))
                .orElseThrow();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(Files.readString(v2)).isEqualTo("two!");

        Files.writeString(v2, "tw"); // cut short (a crash of some other writer, a full disk)
        Path again = SqliteNativeLibrary.keptCopy(dir, jarEntry(tmp.resolve("b.jar"), "n/lib.so", "two!"))
                .orElseThrow();
        assertThat(again).isEqualTo(v2);
        assertThat(Files.readString(again)).isEqualTo("two!");
    }

    @Test
    void withoutAJarOrAWritableDirectoryTheDriverShouldKeepItsOwnWay() throws Exception {
        Path plain = Files.writeString(tmp.resolve("lib.so"), "bytes");
        assertThat(SqliteNativeLibrary.keptCopy(
                        tmp.resolve("kept"), plain.toUri().toURL()))
                .isEmpty();
        assertThat(SqliteNativeLibrary.keptCopy(tmp.resolve("kept"), null)).isEmpty();

        Path notADirectory = Files.writeString(tmp.resolve("file"), "x");
        assertThat(SqliteNativeLibrary.keptCopy(
                        notADirectory.resolve("kept"), jarEntry(tmp.resolve("a.jar"), "n/lib.so", "one")))
                .isEmpty();
    }

    /**
     * The real driver in a fresh JVM: with the property it maps the kept copy (read from /proc/self/maps) and a
     * second start reuses it; without, it maps a copy it extracted to its temp directory, as always.
     */
    @Test
    void theDriverShouldLoadTheKeptCopyInAFreshJvm() throws Exception {
        Path kept = tmp.resolve("kept");
        Path driverTmp = Files.createDirectories(tmp.resolve("driver-tmp"));
        String[] withKept = {"-D" + SqliteNativeLibrary.DIR_PROPERTY + "=" + kept, "-Dorg.sqlite.tmpdir=" + driverTmp};

        String first = runChild(withKept);
        String second = runChild(withKept);

        Path copy;
        try (Stream<Path> files = Files.list(kept)) {
            copy = files.collect(java.util.stream.Collectors.toList()).get(0);
        }
        assertThat(copy.getFileName().toString()).endsWith("libsqlitejdbc.so");
        assertThat(first).contains("user_version=0").contains("mapped=" + copy);
        assertThat(second).contains("user_version=0").contains("mapped=" + copy);
        try (Stream<Path> files = Files.list(kept)) {
            assertThat(files).as("one copy, no temp file").hasSize(1);
        }

        String without = runChild("-Dorg.sqlite.tmpdir=" + driverTmp);
        assertThat(without).contains("user_version=0").contains("mapped=" + driverTmp);
    }

    private String runChild(String... properties) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
        command.addAll(List.of(properties));
        command.add(ChildMain.class.getName());
        command.add(tmp.resolve("child.db").toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** The child: the kept copy, then a real SQLite connection. */
    public static final class ChildMain {
        public static void main(String[] args) throws Exception {
            SqliteNativeLibrary.useKeptCopy();
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + args[0]);
                    var s = c.createStatement();
                    var r = s.executeQuery("PRAGMA user_version")) {
                r.next();
                System.out.println("user_version=" + r.getInt(1));
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                if (line.contains("sqlitejdbc")) {
                    System.out.println("mapped=" + line.substring(line.indexOf('/')));
                }
            }
        }
    }

    private static URL jarEntry(Path jar, String name, String content) throws Exception {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry(name));
            jarOut.write(content.getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
        return new URL("jar:" + jar.toUri() + "!/" + name);
    }
}
