package io.mxcutover.appliance.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package the appliance's {@code package} phase built (appliance/src/deb/build-deb.sh), installed
 * on this machine and taken off again by appliance/src/deb/test-deb.sh: lintian without error, {@code dpkg -i},
 * {@code mxcutover check /etc/mxcutover/mxcutover.yml} as the packaged user, {@code systemd-analyze verify} on
 * the installed unit, a reinstall that keeps an edited conffile, remove (data stays) and purge (it goes). The
 * script's own trap purges the package whatever happens, so a failure leaves nothing installed.
 */
class DebianPackageIT {
    private static final Path REPO = Path.of(System.getProperty("mxcutover.repo", ".."));

    @TempDir
    Path tmp;

    @Test
    void packageShouldPassLintianInstallCheckAndPurgeCleanly() throws Exception {
        Path deb = builtPackage();
        Path log = tmp.resolve("test-deb.log");

        Process process = new ProcessBuilder(
                        REPO.resolve("appliance/src/deb/test-deb.sh").toString(), deb.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(300, TimeUnit.SECONDS);
        if (!finished) {
            // TERM lets the script's trap purge the package before it exits.
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(finished)
                .as("test-deb.sh finished within 300 s:%n%s", output)
                .isTrue();
        assertThat(process.exitValue()).as("test-deb.sh exit code:%n%s", output).isZero();
        assertThat(output).contains("mxcutover check as mxcutover: OK", "purged; nothing left");
    }

    /** The newest appliance/target/mxcutover_*_all.deb: the one this build made (an older version may linger). */
    private static Path builtPackage() throws IOException {
        Path target = REPO.resolve("appliance/target");
        List<Path> debs;
        try (Stream<Path> files = Files.list(target)) {
            debs = files.filter(p -> p.getFileName().toString().matches("mxcutover_.*_all\\.deb"))
                    .sorted(Comparator.comparing(DebianPackageIT::modified).reversed())
                    .toList();
        }
        assertThat(debs)
                .as(
                        "a package in %s: the package phase builds it where /usr/bin/dpkg-deb is installed "
                                + "(Debian package dpkg)",
                        target)
                .isNotEmpty();
        return debs.get(0);
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
