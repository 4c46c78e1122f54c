package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.junit.jupiter.api.Test;

/**
 * An APPEND whose literal is cut (a streamed message whose legacy FETCH failed, a spool file that cannot be read)
 * must drop the connection: the server then discards the partial command. Kept open, the server would read the next
 * command's bytes as the rest of the literal and store a message made of them.
 */
class RawImapProtocolCutLiteralTest {
    /** What the scripted server read after the APPEND line: the literal's bytes, and whether the client hung up. */
    private record Seen(String command, int literalBytes, boolean hungUp) {}

    private static CompletableFuture<Seen> serve(ServerSocket listener) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = listener.accept()) {
                s.setSoTimeout(3_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write("* OK [CAPABILITY IMAP4rev1 LITERAL+] scripted\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                    line.write(c);
                }
                int literal = 0;
                try {
                    for (int c = in.read(); c >= 0; c = in.read()) {
                        literal++;
                    }
                    return new Seen(line.toString(StandardCharsets.ISO_8859_1).trim(), literal, true);
                } catch (SocketTimeoutException e) {
                    return new Seen(line.toString(StandardCharsets.ISO_8859_1).trim(), literal, false);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A literal of 1,000 bytes whose source fails after 400. */
    private static Argument cutAppend() {
        Argument args = new Argument();
        args.writeAtom("INBOX");
        args.writeBytes(new Literal() {
            @Override
            public int size() {
                return 1_000;
            }

            @Override
            public void writeTo(OutputStream os) throws IOException {
                os.write(new byte[400]);
                os.flush();
                throw new IOException("the legacy server stopped sending message UID 7");
            }
        });
        return args;
    }

    @Test
    void aPipelinedAppendCutInItsLiteralShouldDropTheConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Seen> server = serve(listener);
            RawImapProtocol p = ScriptedImap.connect(listener, RawImapProtocolCutLiteralTest.class);
            assertThatThrownBy(() -> p.writePipelined("APPEND", cutAppend())).isInstanceOf(ProtocolException.class);
            Seen seen = server.get(10, TimeUnit.SECONDS);
            assertThat(seen.command()).endsWith("APPEND INBOX {1000+}");
            assertThat(seen.literalBytes()).isEqualTo(400);
            assertThat(seen.hungUp()).as("the client dropped the connection").isTrue();
        }
    }

    @Test
    void anAppendCutInItsLiteralShouldDropTheConnectionOnAngusOwnPathToo() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Seen> server = serve(listener);
            RawImapProtocol p = ScriptedImap.connect(listener, RawImapProtocolCutLiteralTest.class);
            org.eclipse.angus.mail.iap.Response[] r = p.command("APPEND", cutAppend());
            assertThat(r[r.length - 1].isBYE()).isTrue(); // Angus reports a failed write as BYE
            Seen seen = server.get(10, TimeUnit.SECONDS);
            assertThat(seen.literalBytes()).isEqualTo(400);
            assertThat(seen.hungUp()).as("the client dropped the connection").isTrue();
        }
    }
}
