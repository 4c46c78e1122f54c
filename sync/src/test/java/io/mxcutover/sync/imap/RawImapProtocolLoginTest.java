package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.junit.jupiter.api.Test;

/**
 * The login and logout of {@link RawImapProtocol} against a scripted server: AUTHENTICATE PLAIN in one round trip
 * where the server announces SASL-IR (RFC 4959), Angus's two-step exchange where it does not, and a LOGOUT that
 * does not wait for the server's answer.
 */
class RawImapProtocolLoginTest {
    private static final String CREDENTIALS = Base64.getEncoder()
            .encodeToString("\u0000anna@example.test\u0000pässword".getBytes(StandardCharsets.UTF_8));
    private static final String MASTER_CREDENTIALS = Base64.getEncoder()
            .encodeToString("anna@example.test\u0000admin\u0000master-pw".getBytes(StandardCharsets.UTF_8));

    /** One scripted conversation: each step reads a line and may answer; what the server read is returned. */
    private interface Script {
        void run(BufferedReader in, OutputStream out, List<String> read) throws IOException;
    }

    private static CompletableFuture<List<String>> serve(ServerSocket listener, String capabilities, Script script) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> read = new ArrayList<>();
            try (Socket s = listener.accept()) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                write(out, "* OK [CAPABILITY " + capabilities + "] scripted\r\n");
                script.run(in, out, read);
                return read;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String tag(String line) {
        return line.split(" ")[0];
    }

    private static RawImapProtocol connect(ServerSocket listener) throws Exception {
        return ScriptedImap.connect(listener, RawImapProtocolLoginTest.class);
    }

    @Test
    void authPlainShouldSendTheCredentialsOnTheCommandLineWhenServerAnnouncesSaslIr() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server =
                    serve(listener, "IMAP4rev1 SASL-IR AUTH=PLAIN", (in, out, read) -> {
                        String line = in.readLine();
                        read.add(line);
                        // Answered only after one line: a client waiting for a "+" challenge would time out.
                        write(out, tag(line) + " OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS] Logged in\r\n");
                    });
            RawImapProtocol p = connect(listener);

            p.authplain(null, "anna@example.test", "pässword");

            assertThat(server.get(10, TimeUnit.SECONDS))
                    .singleElement()
                    .asString()
                    .endsWith(" AUTHENTICATE PLAIN " + CREDENTIALS);
            assertThat(p.hasCapability("UIDPLUS"))
                    .as("the capabilities of the OK are taken")
                    .isTrue();
        }
    }

    @Test
    void authPlainShouldCarryTheMasterUsersAuthorizationIdentity() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server =
                    serve(listener, "IMAP4rev1 SASL-IR AUTH=PLAIN", (in, out, read) -> {
                        String line = in.readLine();
                        read.add(line);
                        write(out, tag(line) + " OK Logged in\r\n");
                    });
            RawImapProtocol p = connect(listener);

            p.authplain("anna@example.test", "admin", "master-pw");

            assertThat(server.get(10, TimeUnit.SECONDS))
                    .singleElement()
                    .asString()
                    .endsWith(" AUTHENTICATE PLAIN " + MASTER_CREDENTIALS);
        }
    }

    @Test
    void authPlainShouldWaitForTheChallengeWhenServerHasNoSaslIr() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(listener, "IMAP4rev1 AUTH=PLAIN", (in, out, read) -> {
                String command = in.readLine();
                read.add(command);
                write(out, "+ \r\n");
                read.add(in.readLine());
                write(out, tag(command) + " OK Logged in\r\n");
            });
            RawImapProtocol p = connect(listener);

            p.authplain(null, "anna@example.test", "pässword");

            assertThat(server.get(10, TimeUnit.SECONDS)).hasSize(2).last().isEqualTo(CREDENTIALS);
        }
    }

    @Test
    void authPlainRefusedShouldThrowLikeAngusDoes() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var unused = serve(listener, "IMAP4rev1 SASL-IR AUTH=PLAIN", (in, out, read) -> {
                String line = in.readLine();
                write(out, tag(line) + " NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
            });
            RawImapProtocol p = connect(listener);

            assertThatThrownBy(() -> p.authplain(null, "anna@example.test", "wrong"))
                    .isInstanceOf(CommandFailedException.class)
                    .hasMessageContaining("Authentication failed");
        }
    }

    @Test
    void logoutShouldSendLogoutAndCloseWithoutWaitingForTheAnswer() throws Exception {
        CountDownLatch answerHeld = new CountDownLatch(1);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> server = serve(listener, "IMAP4rev1", (in, out, read) -> {
                read.add(in.readLine());
                try {
                    answerHeld.await(10, TimeUnit.SECONDS); // the answer comes only after the client has closed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                read.add(String.valueOf(in.readLine())); // "null": the client closed the connection
            });
            RawImapProtocol p = connect(listener);

            long start = System.nanoTime();
            p.logout();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            answerHeld.countDown();

            assertThat(tookMillis)
                    .as("logout returned without the server's answer")
                    .isLessThan(5_000);
            assertThat(server.get(10, TimeUnit.SECONDS))
                    .containsExactly(server.get().get(0), "null");
            assertThat(server.get().get(0)).endsWith(" LOGOUT");
        }
    }
}
