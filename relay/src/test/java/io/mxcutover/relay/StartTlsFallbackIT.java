package io.mxcutover.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.relay.testing.FakeTarget;
import io.mxcutover.relay.testing.RelayProcessMain;
import io.mxcutover.relay.testing.SmtpScript;
import io.mxcutover.relay.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BoringSSL's native library does not load where the JVM unpacks it: a relay JVM whose {@code java.io.tmpdir}
 * is a real {@code noexec} tmpfs (CI runs as root), as on a host that mounts /tmp noexec. With
 * {@code relay.tlsProvider: auto} the relay still offers STARTTLS, in the JDK's TLS, and its log says why and
 * what to set; with {@code native} it does not start, and says the same.
 */
class StartTlsFallbackIT {

    @TempDir
    Path dir;

    Path noexec;
    boolean mounted;
    Process child;
    FakeTarget legacy;

    @BeforeEach
    void mountNoexecTmp() throws Exception {
        noexec = Files.createDirectories(dir.resolve("noexec-tmp"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=16m,noexec", "tmpfs", noexec.toString()) == 0;
        assertThat(mounted).as("mounting a noexec tmpfs (needs root)").isTrue();
        legacy = new FakeTarget();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (child != null) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (legacy != null) {
            legacy.close();
        }
        if (mounted) {
            run("umount", noexec.toString());
        }
    }

    @Test
    void autoShouldFallBackToTheJdksTlsAndSayWhy() throws Exception {
        Path log = dir.resolve("relay.log");
        Path portFile = dir.resolve("port");
        child = start("auto", portFile, log);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(portFile) || !child.isAlive());
        assertThat(child.isAlive()).as("relay child; its log: %s", log).isTrue();
        int port = Integer.parseInt(Files.readString(portFile).strip());

        SSLSession tls;
        try (SmtpScript s = SmtpScript.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            s.expect("^220 ");
            s.send("EHLO client.example").expect("^250 ");
            s.send("STARTTLS").expect("^220");
            tls = s.startTls(TestCertificates.trustingClient(), "TLSv1.3");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<alice@example.org>").expect("^250");
            s.send("RCPT TO:<bob@example.test>").expect("^250");
            s.send("DATA").expect("^354");
            s.sendRaw("Subject: fallback\r\n\r\nbody\r\n.\r\n").expect("^250 2.0.0 Ok: queued as");
            s.send("QUIT").expect("^221");
        }
        assertThat(tls.getProtocol()).isEqualTo("TLSv1.3");
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
        assertThat(legacy.messages().get(0).text()).contains("with ESMTPS id ");
        assertThat(Files.readString(log))
                .contains("STARTTLS: the JDK's TLS")
                .contains("does not load here")
                .contains("noexec")
                .contains("Set relay.tlsProvider: jdk");
    }

    @Test
    void nativeShouldNotStartAndSayWhatToSet() throws Exception {
        Path log = dir.resolve("relay.log");
        child = start("native", dir.resolve("port"), log);
        assertThat(child.waitFor(60, TimeUnit.SECONDS))
                .as("the relay child gave up")
                .isTrue();
        assertThat(child.exitValue()).isNotZero();
        assertThat(Files.exists(dir.resolve("port"))).isFalse();
        assertThat(Files.readString(log))
                .contains("relay.tlsProvider is native, but BoringSSL (Conscrypt) does not load on this machine")
                .contains("noexec")
                .contains("set relay.tlsProvider to auto or jdk");
    }

    private Process start(String provider, Path portFile, Path log) throws Exception {
        Path keystore = TestCertificates.keystore(dir, "relay", "mx.fallback.test");
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Djava.io.tmpdir=" + noexec,
                "-cp",
                System.getProperty("java.class.path"),
                RelayProcessMain.class.getName(),
                dir.resolve("spool").toString(),
                legacy.hostPort(),
                portFile.toString(),
                "tls=" + keystore + ":" + TestCertificates.PASSWORD,
                "tlsProvider=" + provider);
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
