package io.mxcutover.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.relay.Relay;
import io.mxcutover.relay.RelaySettings;
import io.mxcutover.relay.intake.TlsProvider;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.testing.FakeTarget;
import io.mxcutover.relay.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inbound STARTTLS with OpenSSL as the sender's TLS (the library of Postfix, Exim and most MTAs that will send
 * to the relay), through {@code openssl s_client -starttls smtp}: a message is accepted over TLS 1.3 and 1.2
 * with an RSA certificate, the Received header names what OpenSSL negotiated, and a second connection that
 * offers the first one's session is resumed (s_client prints "New" for a full handshake, "Reused" for a
 * resumed one). With both TLS providers of the relay.
 */
class StartTlsOpenSslIT {

    private static final Pattern SESSION = Pattern.compile("^(New|Reused), (TLSv1\\.[23]), Cipher is (\\S+)");

    @TempDir
    Path dir;

    FakeTarget legacy;
    Relay relay;

    @AfterEach
    void tearDown() {
        if (relay != null) {
            relay.stop();
        }
        if (legacy != null) {
            legacy.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"AUTO, tls1_3", "AUTO, tls1_2", "JDK, tls1_3", "JDK, tls1_2"})
    void openSslSenderShouldDeliverOverTlsAndResumeItsSession(TlsProvider provider, String version) throws Exception {
        Path keystore = TestCertificates.keystore(dir, "relay", "mx.relay.test", "RSA");
        legacy = new FakeTarget();
        RoutingTable table =
                RoutingTable.of(DomainRoute.relaying("example.test", List.of(NextHop.of(legacy.hostPort())), List.of())
                        .withSoftBounce(false));
        relay = new Relay(
                RelaySettings.builder(dir.resolve("spool"))
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(1)
                        .tls(keystore, TestCertificates.PASSWORD)
                        .tlsProvider(provider)
                        .clientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                        .build(),
                () -> table,
                Clock.systemUTC(),
                new MetricRegistry());
        relay.start();
        Path session = dir.resolve("openssl-session.pem");

        Matcher first = send(version, List.of("-sess_out", session.toString()), "first");
        Matcher second = send(version, List.of("-sess_in", session.toString()), "second");

        String protocol = version.equals("tls1_3") ? "TLSv1.3" : "TLSv1.2";
        assertThat(first.group(1)).isEqualTo("New");
        assertThat(first.group(2)).isEqualTo(protocol);
        assertThat(second.group(1))
                .as("the second connection resumes the first one's session")
                .isEqualTo("Reused");
        assertThat(second.group(3)).isEqualTo(first.group(3));
        String cipher = standardName(first.group(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 2);
        for (FakeTarget.Received m : legacy.messages()) {
            assertThat(m.text())
                    .contains("with ESMTPS id ")
                    .contains("(using " + protocol + " with cipher " + cipher + ")")
                    .contains("Subject: over OpenSSL");
        }
    }

    /**
     * One message through {@code openssl s_client}, a command at a time; its "New/Reused" line. s_client writes
     * the server's replies at once but its own summary through a buffer that may be flushed only at its exit,
     * so the summary is looked for in all its output at the end. Bounded: the process is killed after 30 s.
     */
    private Matcher send(String version, List<String> sessionArgs, String subject) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + relay.listenAddress().getPort(),
                "-starttls",
                "smtp",
                "-name",
                "client.example",
                "-" + version,
                "-nocommands"));
        cmd.addAll(sessionArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        ScheduledFuture<?> kill = watchdog.schedule(p::destroyForcibly, 30, TimeUnit.SECONDS);
        List<String> seen = new ArrayList<>();
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = p.getOutputStream()) {
            command(in, out, seen, "EHLO client.example", "250 ");
            command(in, out, seen, "MAIL FROM:<alice@example.org>", "250 ");
            command(in, out, seen, "RCPT TO:<bob@example.test>", "250 ");
            command(in, out, seen, "DATA", "354 ");
            command(in, out, seen, "Subject: over OpenSSL " + subject + "\r\n\r\nbody\r\n.", "250 2.0.0 Ok: queued");
            command(in, out, seen, "QUIT", "221 ");
            out.lines().forEach(seen::add);
        } finally {
            p.waitFor(30, TimeUnit.SECONDS);
            kill.cancel(false);
            watchdog.shutdownNow();
        }
        for (String line : seen) {
            Matcher m = SESSION.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new AssertionError("no New/Reused line from openssl s_client: " + seen);
    }

    /** The IANA name of a cipher suite OpenSSL names its own way (TLS 1.2's; TLS 1.3's are the same). */
    private static String standardName(String openssl) throws Exception {
        if (openssl.startsWith("TLS_")) {
            return openssl;
        }
        Process p = new ProcessBuilder("openssl", "ciphers", "-stdname", openssl)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 - ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ...", TLS 1.3's first
        return out.lines()
                .map(l -> l.strip().split("\\s+"))
                .filter(f -> f.length > 2 && f[2].equals(openssl))
                .map(f -> f[0])
                .findFirst()
                .orElseThrow(() -> new AssertionError("openssl ciphers -stdname " + openssl + ": " + out));
    }

    private static void command(OutputStream in, BufferedReader out, List<String> seen, String text, String reply)
            throws IOException {
        in.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line;
        while ((line = out.readLine()) != null) {
            seen.add(line);
            if (line.startsWith(reply)) {
                return;
            }
            if (line.matches("^[45]\\d\\d .*")) {
                break;
            }
        }
        throw new AssertionError(
                "no '" + reply + "' after " + text.lines().findFirst().orElse("") + ": " + seen);
    }
}
