package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mxcutover.sync.credential.Login;
import java.lang.reflect.Field;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.eclipse.angus.mail.iap.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every IMAP connection has {@code TCP_NODELAY} on, plain and behind implicit TLS (Angus wraps the socket this
 * project's factory made, and still trusts what the URL says): commands written back to back are not held by Nagle's
 * algorithm until the server acknowledges the first.
 */
class NoDelaySocketsTest {
    private GreenMail mail;

    @AfterEach
    void stop() {
        if (mail != null) {
            mail.stop();
        }
    }

    private int start(String protocol) {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", protocol));
        mail.start();
        mail.setUser("anna@example.test", "anna", "anna-pw");
        return protocol.equals("imaps")
                ? mail.getImaps().getPort()
                : mail.getImap().getPort();
    }

    /** The socket under the session's store connection (Angus keeps it private). */
    private static Socket socketOf(ImapSession session) throws Exception {
        Field f = Protocol.class.getDeclaredField("socket");
        f.setAccessible(true);
        return (Socket) session.folderObject("INBOX").doCommand(p -> {
            try {
                return f.get(p);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void plainConnectionShouldSendWithoutNagleDelay() throws Exception {
        int port = start("imap");
        try (ImapSourceStore s = ImapSourceStore.open(
                ImapEndpoint.of("imap://127.0.0.1:" + port),
                Login.password("anna", "anna-pw"),
                ImapSettings.defaults())) {
            assertThat(s.folders()).isNotEmpty();
            Socket socket = socketOf(s);
            assertThat(socket).isNotInstanceOf(SSLSocket.class);
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void implicitTlsConnectionShouldStayTlsAndSendWithoutNagleDelay() throws Exception {
        int port = start("imaps");
        try (ImapTargetStore s = ImapTargetStore.open(
                ImapEndpoint.of("imaps://127.0.0.1:" + port + "?trust=any"),
                Login.password("anna", "anna-pw"),
                ImapSettings.defaults())) {
            assertThat(s.folders()).isNotEmpty();
            Socket socket = socketOf(s);
            assertThat(socket).isInstanceOf(SSLSocket.class);
            assertThat(((SSLSocket) socket).getSession().getProtocol()).startsWith("TLS");
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
    }
}
