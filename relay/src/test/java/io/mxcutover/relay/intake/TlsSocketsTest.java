package io.mxcutover.relay.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.relay.testing.TestCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The socket a STARTTLS session continues on. */
class TlsSocketsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"AUTO", "JDK"})
    void startTlsSocketShouldSendSmallWritesAtOnceAndOfferOnlyTls12And13(TlsProvider provider, @TempDir Path dir)
            throws Exception {
        TlsSockets sockets = new TlsSockets(provider.serverContext(
                TestCertificates.keyManagers(TestCertificates.keystore(dir, "mx", "mx.example.test"))));
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                Socket accepted = listener.accept()) {
            assertThat(accepted.getTcpNoDelay()).as("a freshly accepted socket").isFalse();

            SSLSocket tls = sockets.createSSLSocket(accepted);

            // With Nagle's algorithm the handshake flights and replies waited for the client's delayed ACK: 119
            // messages/s at 10 connections with STARTTLS, 207 without it (bench/relay, TLS=1, c=10, 5 KB).
            assertThat(accepted.getTcpNoDelay()).isTrue();
            assertThat(tls.getUseClientMode()).isFalse();
            assertThat(tls.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        }
    }

    /**
     * A sending MTA that comes back resumes its TLS session (Postfix's smtp client keeps them, and so does
     * bench/relay's client): no certificate and no signature again, the most expensive part of a handshake.
     * Conscrypt's server sockets issued no session tickets until {@link TlsSockets} turned them on: 0 of 1,000
     * sessions resumed in bench/relay. The client sees a resumed session as the first one again: the same
     * creation time (the connections are 50 ms apart), and with TLS 1.2 the same session id.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"AUTO, EC, TLSv1.3", "AUTO, RSA, TLSv1.3", "AUTO, RSA, TLSv1.2", "JDK, EC, TLSv1.3", "JDK, RSA, TLSv1.2"
    })
    void aReturningClientShouldResumeItsSession(
            TlsProvider provider, String keyAlgorithm, String protocol, @TempDir Path dir) throws Exception {
        TlsSockets sockets = new TlsSockets(provider.serverContext(
                TestCertificates.keyManagers(TestCertificates.keystore(dir, "mx", "mx.example.test", keyAlgorithm))));
        SSLContext client = TestCertificates.trustingClient();
        List<SSLSession> sessions = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 3, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 3; i++) {
                CompletableFuture<Void> server = CompletableFuture.runAsync(() -> echoOneByte(listener, sockets));
                try (SSLSocket c = (SSLSocket) client.getSocketFactory()
                        .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                    c.setEnabledProtocols(new String[] {protocol});
                    c.startHandshake();
                    OutputStream out = c.getOutputStream();
                    out.write('x');
                    out.flush();
                    // reading also takes in a TLS 1.3 session ticket, which comes after the handshake
                    assertThat(c.getInputStream().read()).isEqualTo('x');
                    sessions.add(c.getSession());
                }
                server.get(10, TimeUnit.SECONDS);
                Thread.sleep(50);
            }
        }
        SSLSession first = sessions.get(0);
        assertThat(first.getProtocol()).isEqualTo(protocol);
        for (SSLSession again : sessions.subList(1, 3)) {
            assertThat(again.getCreationTime())
                    .as("a later connection's session is the first one resumed")
                    .isEqualTo(first.getCreationTime());
            assertThat(again.getCipherSuite()).isEqualTo(first.getCipherSuite());
            if (protocol.equals("TLSv1.2")) {
                assertThat(again.getId()).isEqualTo(first.getId());
            }
        }
    }

    private static void echoOneByte(ServerSocket listener, TlsSockets sockets) {
        try (Socket accepted = listener.accept()) {
            accepted.setSoTimeout(10_000);
            SSLSocket tls = sockets.createSSLSocket(accepted);
            tls.startHandshake();
            InputStream in = tls.getInputStream();
            int b = in.read();
            tls.getOutputStream().write(b);
            tls.getOutputStream().flush();
            // wait for the client's close, so the ticket and the byte are read before the socket goes
            in.read();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
