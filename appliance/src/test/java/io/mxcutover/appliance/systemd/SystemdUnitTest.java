package io.mxcutover.appliance.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/mxcutover.service is valid for systemd (systemd-analyze verify: no error, no warning),
 * carries the hardening the operations chapter promises, and its sysusers.d/tmpfiles.d snippets
 * create the user and the directories it may write.
 */
class SystemdUnitTest {

    private static final String UNIT = "mxcutover.service";
    private static final Path SYSTEMD_DIR = findSystemdDir();

    @TempDir
    Path tmp;

    @Test
    void unitShouldVerifyWithoutErrorsOrWarnings() throws Exception {
        Path unit = verifiableCopy();

        Run run = run("systemd-analyze", "verify", unit.toString());

        assertThat(run.exitCode())
                .as("systemd-analyze verify exit code; output:%n%s", run.output())
                .isZero();
        assertThat(run.output().lines().filter(line -> line.contains(UNIT)))
                .as("systemd-analyze verify warnings about the unit")
                .isEmpty();
    }

    @Test
    void verifyShouldReportAnUnknownDirectiveWhenTheUnitHasATypo() throws Exception {
        // Guards the test above: verify must actually read our copy and complain about it.
        Path unit = verifiableCopy();
        Files.writeString(unit, Files.readString(unit).replace("\nRestart=on-failure", "\nRestrt=on-failure"));

        Run run = run("systemd-analyze", "verify", unit.toString());

        assertThat(run.output()).contains(UNIT).contains("Restrt");
    }

    @Test
    void unitShouldBeHardenedToTheCapabilityToBindPort25() throws IOException {
        Map<String, List<String>> service = section(Files.readString(SYSTEMD_DIR.resolve(UNIT)), "Service");

        assertThat(service.get("ExecStart"))
                .containsExactly("/usr/bin/java $MXCUTOVER_JAVA_OPTS -jar /usr/share/mxcutover/mxcutover.jar server"
                        + " /etc/mxcutover/mxcutover.yml");
        assertThat(words(service.get("Environment")))
                .contains("MXCUTOVER_STATE_DIR=/var/lib/mxcutover", "MXCUTOVER_SPOOL_DIR=/var/spool/mxcutover");
        assertThat(service.get("User")).containsExactly("mxcutover");
        assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(service.get("ProtectSystem")).containsExactly("strict");
        assertThat(words(service.get("ReadWritePaths")))
                .containsExactlyInAnyOrder("/var/lib/mxcutover", "/var/spool/mxcutover");
        assertThat(service.get("PrivateTmp")).containsExactly("yes");
        assertThat(service.get("ProtectHome")).containsExactly("yes");
        assertThat(service.get("CapabilityBoundingSet")).containsExactly("CAP_NET_BIND_SERVICE");
        assertThat(service.get("AmbientCapabilities")).containsExactly("CAP_NET_BIND_SERVICE");
        assertThat(service.get("Restart")).containsExactly("on-failure");
        assertThat(words(service.get("RestartPreventExitStatus")))
                .as("78 = EX_CONFIG")
                .contains("78");
        assertThat(service.get("LimitNOFILE")).containsExactly("65536");
    }

    @Test
    void unitShouldScoreAsLowExposureInSystemdSecurityAnalysis() throws Exception {
        Path unit = verifiableCopy();

        // Threshold in tenths: fails when the overall exposure is above 3.0 ("OK" ends at 4.9).
        Run run = run("systemd-analyze", "security", "--offline=yes", "--threshold=30", unit.toString());

        assertThat(run.exitCode()).as("exposure above 3.0:%n%s", run.output()).isZero();
    }

    @Test
    void sysusersAndTmpfilesShouldCreateTheUserAndItsWritableDirectories() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root/etc")).getParent();

        Run users = run(
                "systemd-sysusers",
                "--root=" + root,
                SYSTEMD_DIR.resolve("mxcutover.sysusers").toString());
        assertThat(users.exitCode()).as("systemd-sysusers:%n%s", users.output()).isZero();
        assertThat(Files.readString(root.resolve("etc/passwd")))
                .contains("mxcutover:x:")
                .contains(":/var/lib/mxcutover:/usr/sbin/nologin");

        if (!"root".equals(System.getProperty("user.name"))) {
            // Creating directories owned by mxcutover needs chown: only root checks the result.
            return;
        }
        Run dirs = run(
                "systemd-tmpfiles",
                "--root=" + root,
                "--create",
                SYSTEMD_DIR.resolve("mxcutover.tmpfiles").toString());
        assertThat(dirs.exitCode()).as("systemd-tmpfiles:%n%s", dirs.output()).isZero();
        for (String dir : List.of("var/lib/mxcutover", "var/spool/mxcutover")) {
            PosixFileAttributes attributes = Files.readAttributes(root.resolve(dir), PosixFileAttributes.class);
            assertThat(attributes.owner().getName()).as(dir).isNotEqualTo("root");
            assertThat(attributes.permissions()).as(dir).hasSize(5); // 0750: rwx for the owner, r-x for the group
        }
    }

    /** The unit with ExecStart's binary swapped for /bin/true: verify checks it exists, and no JDK may be at /usr/bin/java. */
    private Path verifiableCopy() throws IOException {
        String text = Files.readString(SYSTEMD_DIR.resolve(UNIT), StandardCharsets.UTF_8);
        assertThat(text).contains("\nExecStart=/usr/bin/java ");
        Path copy = tmp.resolve(UNIT);
        Files.writeString(copy, text.replace("\nExecStart=/usr/bin/java ", "\nExecStart=/bin/true "));
        return copy;
    }

    private static Map<String, List<String>> section(String unit, String name) {
        Map<String, List<String>> directives = new LinkedHashMap<>();
        String current = "";
        for (String raw : unit.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1);
            } else if (current.equals(name) && !line.isEmpty() && !line.startsWith("#") && line.contains("=")) {
                int eq = line.indexOf('=');
                directives
                        .computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                        .add(line.substring(eq + 1).strip());
            }
        }
        return directives;
    }

    private static List<String> words(List<String> values) {
        assertThat(values).isNotNull();
        return values.stream().flatMap(v -> Stream.of(v.split("\\s+"))).toList();
    }

    private record Run(int exitCode, String output) {}

    private static Run run(String... command) throws IOException, InterruptedException {
        Path binary = Stream.of("/usr/bin", "/bin", "/usr/sbin")
                .map(d -> Path.of(d, command[0]))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        if (binary == null) {
            fail(command[0] + " is not installed: install the Debian package 'systemd' "
                    + "(apt-get install systemd, or it/servers.sh install)");
        }
        List<String> argv = new ArrayList<>(List.of(command));
        argv.set(0, binary.toString());
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Path findSystemdDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("systemd").resolve(UNIT))) {
                return dir.resolve("systemd");
            }
        }
        throw new IllegalStateException(
                "cannot find systemd/" + UNIT + " above " + Path.of("").toAbsolutePath());
    }
}
