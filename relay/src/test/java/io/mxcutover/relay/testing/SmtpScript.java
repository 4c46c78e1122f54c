package io.mxcutover.relay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Drives an SMTP server by script: send a line, expect a reply matching a pattern (maddy's
 * {@code ExpectPattern}). Replies are read whole (multi-line); the pattern is matched against
 * the last line. Every read has a timeout.
 */
public final class SmtpScript implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final List<String> transcript = new ArrayList<>();

    public SmtpScript(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public static SmtpScript connect(InetSocketAddress address) throws IOException {
        return new SmtpScript(address);
    }

    /** Sends one command line (CRLF appended). */
    public SmtpScript send(String line) throws IOException {
        transcript.add("C: " + line);
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Sends raw bytes exactly as given. */
    public SmtpScript sendRaw(byte[] bytes) throws IOException {
        transcript.add("C: <" + bytes.length + " raw bytes>");
        out.write(bytes);
        out.flush();
        return this;
    }

    public SmtpScript sendRaw(String text) throws IOException {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one reply and asserts its last line matches {@code regex} (find, not full match). */
    public String expect(String regex) throws IOException {
        String reply = readReply();
        if (reply == null) {
            throw new AssertionError("connection closed, expected /" + regex + "/\n" + String.join("\n", transcript));
        }
        String[] lines = reply.split("\n");
        String last = lines[lines.length - 1];
        if (!Pattern.compile(regex).matcher(last).find()) {
            throw new AssertionError(
                    "expected /" + regex + "/ but got '" + reply + "'\n" + String.join("\n", transcript));
        }
        return reply;
    }

    /**
     * Upgrades the connection after the server's {@code 220} to STARTTLS: wraps the socket, runs
     * the handshake with only {@code protocols} enabled (all the context's defaults when none).
     */
    public SSLSession startTls(SSLContext context, String... protocols) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        tls.setUseClientMode(true);
        tls.startHandshake();
        transcript.add("-- TLS " + tls.getSession().getProtocol() + " "
                + tls.getSession().getCipherSuite());
        socket = tls;
        in = tls.getInputStream();
        out = tls.getOutputStream();
        return tls.getSession();
    }

    /** The plain socket's streams, for tests that speak bytes (e.g. a hand-made ClientHello). */
    public InputStream rawInput() {
        return in;
    }

    public OutputStream rawOutput() {
        return out;
    }

    /** Whole reply (lines joined by \n) or null when the server closed the connection. */
    public String readReply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line == null) {
                return all.length() == 0 ? null : all.toString();
            }
            transcript.add("S: " + line);
            if (all.length() > 0) {
                all.append('\n');
            }
            all.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString();
            }
        }
    }

    /** True when the server has closed the connection (EOF or reset) within the read timeout. */
    public boolean isClosedByServer() throws IOException {
        try {
            return readLine() == null;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    public List<String> transcript() {
        return List.copyOf(transcript);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
