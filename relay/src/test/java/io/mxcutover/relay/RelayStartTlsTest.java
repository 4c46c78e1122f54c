package io.mxcutover.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.relay.intake.TlsProvider;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.testing.FakeTarget;
import io.mxcutover.relay.testing.SmtpScript;
import io.mxcutover.relay.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inbound STARTTLS with a PKCS12 keystore made by keytool, loaded the production way
 * ({@code RelaySettings.tls}): offered before the handshake only, TLS 1.2 and 1.3 negotiated,
 * TLS 1.0 and 1.1 refused, the Received header names protocol and cipher, and plaintext
 * pipelined behind STARTTLS is thrown away (CVE-2011-0411 style command injection). Here with the default
 * provider (BoringSSL through Conscrypt on this machine); {@link RelayStartTlsJdkTest} runs every case with the JDK's TLS.
 */
class RelayStartTlsTest {

    TlsProvider provider() {
        return TlsProvider.AUTO;
    }

    @TempDir
    static Path certs;

    static Path keystore;

    @TempDir
    Path spoolDir;

    FakeTarget legacy;
    Relay relay;

    @BeforeAll
    static void makeKeystore() throws Exception {
        keystore = TestCertificates.keystore(certs, "relay", "mx.relay.test");
    }

    @BeforeEach
    void setUp() throws Exception {
        legacy = new FakeTarget();
        RoutingTable table = RoutingTable.of(new DomainRoute(
                "example.test",
                false,
                false,
                List.of(NextHop.of(legacy.hostPort())),
                List.of(),
                java.util.Optional.empty(),
                false));
        relay = new Relay(
                RelaySettings.builder(spoolDir)
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(1)
                        .tls(keystore, TestCertificates.PASSWORD)
                        .tlsProvider(provider())
                        .clientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                        .build(),
                () -> table,
                Clock.systemUTC(),
                new MetricRegistry());
        relay.start();
    }

    @AfterEach
    void tearDown() {
        relay.stop();
        legacy.close();
    }

    SmtpScript plaintext() throws IOException {
        SmtpScript s = SmtpScript.connect(relay.listenAddress());
        s.expect("^220 mx.relay.test ESMTP mxcutover");
        return s;
    }

    @Test
    void ehloShouldOfferStartTlsOnlyBeforeTheHandshake() throws Exception {
        try (SmtpScript s = plaintext()) {
            String before = s.send("EHLO client.example").expect("^250 ");
            assertThat(before).contains("250-STARTTLS", "250-PIPELINING");
            s.send("STARTTLS").expect("^220");
            s.startTls(TestCertificates.trustingClient());
            String after = s.send("EHLO client.example").expect("^250 ");
            assertThat(after).doesNotContain("STARTTLS").contains("PIPELINING", "SIZE ");
            s.send("STARTTLS").expect("^454");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void startTlsShouldNegotiateAndReceivedHeaderShouldNameProtocolAndCipher(String protocol) throws Exception {
        SSLSession tls;
        try (SmtpScript s = plaintext()) {
            s.send("EHLO client.example").expect("^250 ");
            s.send("STARTTLS").expect("^220");
            tls = s.startTls(TestCertificates.trustingClient(), protocol);
            assertThat(tls.getProtocol()).isEqualTo(protocol);
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<alice@example.org>").expect("^250");
            s.send("RCPT TO:<bob@example.test>").expect("^250");
            s.send("DATA").expect("^354");
            s.sendRaw("Subject: over TLS\r\n\r\nsecret\r\n.\r\n").expect("^250 2.0.0 Ok: queued as");
            s.send("QUIT").expect("^221");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
        String text = legacy.messages().get(0).text();
        assertThat(text)
                .startsWith("Received: from client.example ([127.0.0.1])\r\n\tby mx.relay.test (mxcutover) "
                        + "with ESMTPS id ");
        assertThat(text).contains("\r\n\t(using " + protocol + " with cipher " + tls.getCipherSuite() + ")");
        assertThat(text).endsWith("Subject: over TLS\r\n\r\nsecret\r\n");
    }

    /**
     * A hand-made ClientHello offering only TLS 1.0 or 1.1 (the JDK client cannot be made to
     * offer them without changing security properties JVM-wide): the relay must answer with a
     * fatal alert, never a ServerHello.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"TLSv1.0, 1", "TLSv1.1, 2"})
    void startTlsShouldRefuseOldProtocols(String name, int minor) throws Exception {
        try (SmtpScript s = plaintext()) {
            s.send("EHLO client.example").expect("^250 ");
            s.send("STARTTLS").expect("^220");
            s.rawOutput().write(clientHello(minor));
            s.rawOutput().flush();
            byte[] answer = readSome(s.rawInput(), 7);
            assertThat(answer.length)
                    .as("%s: the relay answered something", name)
                    .isGreaterThan(0);
            assertThat(answer[0])
                    .as("%s: TLS record type (21 = alert, 22 = handshake)", name)
                    .isEqualTo((byte) 21);
            assertThat(answer).hasSizeGreaterThanOrEqualTo(7);
            assertThat(answer[5]).as("fatal").isEqualTo((byte) 2);
            assertThat(answer[6])
                    .as("alert description (70 = protocol_version)")
                    .isEqualTo((byte) 70);
        }
    }

    @Test
    void plaintextPipelinedBehindStartTlsShouldBeDiscarded() throws Exception {
        try (SmtpScript s = plaintext()) {
            s.send("EHLO client.example").expect("^250 ");
            // one write: STARTTLS and an injected command the server must not run after the handshake
            s.sendRaw("STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\n").expect("^220");
            s.startTls(TestCertificates.trustingClient());
            String first = s.send("EHLO client.example").readReply();
            assertThat(first).startsWith("250-mx.relay.test");
            // no transaction was started by the injected MAIL FROM
            s.send("RCPT TO:<bob@example.test>").expect("^503");
        }
    }

    static byte[] clientHello(int minor) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(3);
        body.write(minor);
        body.writeBytes(random);
        body.write(0); // no session id
        body.writeBytes(new byte[] {0, 6, (byte) 0xc0, 0x09, (byte) 0xc0, 0x13, 0x00, 0x2f}); // three CBC suites
        body.writeBytes(new byte[] {1, 0}); // null compression
        body.writeBytes(new byte[] {0, 14, 0, 0x0a, 0, 4, 0, 2, 0, 0x17, 0, 0x0b, 0, 2, 1, 0}); // groups, point formats
        byte[] b = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {22, 3, 1, (byte) ((b.length + 4) >> 8), (byte) (b.length + 4)});
        record.writeBytes(new byte[] {1, 0, (byte) (b.length >> 8), (byte) b.length});
        record.writeBytes(b);
        return record.toByteArray();
    }

    static byte[] readSome(InputStream in, int want) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            for (int i = 0; i < want; i++) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                got.write(c);
            }
        } catch (SocketTimeoutException e) {
            // whatever arrived is the answer
        }
        return got.toByteArray();
    }
}
