package io.mxcutover.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The start of the appliance as an admin runs it: the shaded jar's {@code server} with the shipped
 * {@code conf/mxcutover.yml}, in a child process. Only what cannot run in a test is overridden (ports 0,
 * loopback, state and spool in a temporary directory, a plan with loopback next hops, no DNS and sync
 * traffic), plus Jetty's {@code Server} logger at INFO so that "Started" tells when the start is over.
 *
 * <p>Logback prints its own status lines ({@code |-WARN in ...}) to stdout when one of them is a warning or
 * an error. An admin reads those as a packaging fault, so the start log must have none: no
 * "Versions of logback-access-common and logback-access-jetty12 are different", no "Expected version of
 * logback-core". The shaded jar matters here: it is where the manifest of the jar lies about
 * logback-access-jetty12's version, which a test on the class path does not see.
 */
class ApplianceStartLogIT {
    static final Path JAR = Path.of("target/mxcutover.jar");
    Process server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    @Test
    void startShouldLogNoLogbackStatusWarnings() throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        Path conf = Path.of(System.getProperty("mxcutover.repo", ".."), "conf", "mxcutover.yml");
        Path dir = TempDirs.dir("mxcutover-start-");
        Path plan = Files.writeString(dir.resolve("plan.yml"), TestAppliance.plan("example.test"));
        Path log = dir.resolve("start.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-Ddw.plan=" + plan,
                        "-Ddw.relay.listen=127.0.0.1",
                        "-Ddw.relay.port=0",
                        "-Ddw.dns.enabled=false",
                        "-Ddw.sync.enabled=false",
                        "-Ddw.server.applicationConnectors[0].port=0",
                        "-Ddw.server.adminConnectors[0].port=0",
                        "-Ddw.logging.loggers.org\\.eclipse\\.jetty\\.server\\.Server=INFO",
                        "-jar",
                        JAR.toString(),
                        "server",
                        conf.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("MXCUTOVER_STATE_DIR", dir.resolve("state").toString());
        pb.environment().put("MXCUTOVER_SPOOL_DIR", dir.resolve("spool").toString());
        server = pb.start();

        await().atMost(Duration.ofSeconds(90))
                .until(() -> !server.isAlive() || Files.readString(log).contains("Started oejs.Server@"));
        String out = Files.readString(log);
        assertThat(out).as("the appliance started:%n%s", out).contains("Started oejs.Server@");
        assertThat(out)
                .as("Logback status warnings or errors in the start log")
                .doesNotContain("|-WARN", "|-ERROR", "Expected version", "are different");
    }
}
