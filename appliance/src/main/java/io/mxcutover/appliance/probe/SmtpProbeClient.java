package io.mxcutover.appliance.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Hands the send/receive test's message to the appliance's own relay over plain SMTP (RFC 5321): EHLO,
 * {@code MAIL FROM:<>} (a probe must never cause a bounce), one RCPT, DATA, QUIT. Every read has a
 * timeout and a reply is cut at 100 lines of 512 bytes, so a stuck listener cannot hold the probe.
 */
final class SmtpProbeClient {

    private static final int MAX_LINE = 512;
    private static final int MAX_LINES = 100;

    /** The relay did not answer as expected: {@code getMessage()} names the command and the reply. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private SmtpProbeClient() {}

    /** Returns the relay's reply to the message (e.g. {@code 250 2.0.0 Ok: queued as 1A2B}). */
    static String send(String host, int port, String helo, String recipient, byte[] message, Duration timeout)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            expect(readReply(in), "2", "the greeting");
            expect(command(out, in, "EHLO " + helo), "2", "EHLO");
            expect(command(out, in, "MAIL FROM:<>"), "2", "MAIL FROM:<>");
            expect(command(out, in, "RCPT TO:<" + recipient + ">"), "2", "RCPT TO:<" + recipient + ">");
            expect(command(out, in, "DATA"), "3", "DATA");
            out.write(dotStuffed(message));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String accepted = readReply(in);
            expect(accepted, "2", "the message (after DATA)");
            try {
                command(out, in, "QUIT");
            } catch (IOException e) {
                // The message is accepted; a relay closing at QUIT does not matter.
            }
            return accepted;
        }
    }

    private static String command(OutputStream out, InputStream in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readReply(in);
    }

    private static void expect(String reply, String firstDigit, String what) throws Refused {
        if (!reply.startsWith(firstDigit)) {
            throw new Refused("answered '" + reply + "' to " + what);
        }
    }

    /**
     * One SMTP reply, multi-line replies joined with " / " ({@code 250-a}, {@code 250 b} -> {@code 250 a / b}).
     * Ends at the line whose code is followed by a space (or nothing), RFC 5321 §4.2.1.
     */
    static String readReply(InputStream in) throws IOException {
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < MAX_LINES; i++) {
            String line = line(in);
            if (line == null) {
                throw new IOException("connection closed" + (reply.length() == 0 ? "" : " after '" + reply + "'"));
            }
            boolean last = line.length() < 4 || line.charAt(3) != '-';
            String text = line.length() > 4 ? line.substring(4) : "";
            if (reply.length() == 0) {
                reply.append(line.length() >= 3 ? line.substring(0, 3) : line).append(text.isEmpty() ? "" : " " + text);
            } else if (!text.isEmpty()) {
                reply.append(" / ").append(text);
            }
            if (last) {
                return reply.toString();
            }
        }
        throw new IOException("a reply longer than " + MAX_LINES + " lines: '" + reply + "'");
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r' && line.size() < MAX_LINE) {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** RFC 5321 §4.5.2: a line starting with '.' gets one more; the message must end with CRLF. */
    static byte[] dotStuffed(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 16);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}
