package io.mxcutover.appliance.e2e;

import io.mxcutover.it.ImapServer;
import io.mxcutover.it.TestUser;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The end-to-end test's mail clients, byte-exact: SMTP by script (no library rewrites a header), IMAP
 * APPEND by hand, and reading whole mailboxes raw over IMAP with BODY.PEEK (nothing is flagged).
 */
final class MailClient {

    /** A message as found in a mailbox: where, its flags (sorted, \Recent left out) and its raw bytes. */
    @SuppressWarnings("ArrayRecordComponent") // a test value, read field by field, never compared whole
    record Found(String folder, long uid, Set<String> flags, String messageId, byte[] raw) {}

    private MailClient() {}

    static byte[] message(String messageId, String from, String to, String subject, String body) {
        return ("Date: Fri, 20 Nov 2026 08:00:00 +0000\r\n"
                        + "From: <" + from + ">\r\n"
                        + "To: <" + to + ">\r\n"
                        + "Subject: " + subject + "\r\n"
                        + "Message-ID: " + messageId + "\r\n"
                        + "MIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=UTF-8\r\n"
                        + "\r\n"
                        + body + "\r\n"
                        + ".a line starting with a dot\r\n"
                        + "The end.\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Sends one message by SMTP; returns the reply to the DATA end (250 ...). */
    static String smtp(String host, int port, String from, String to, byte[] message) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(30_000);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            expect(reply(in), "220");
            expect(send(out, in, "EHLO client.e2e.test"), "250");
            expect(send(out, in, "MAIL FROM:<" + from + ">"), "250");
            expect(send(out, in, "RCPT TO:<" + to + ">"), "250");
            expect(send(out, in, "DATA"), "354");
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            boolean lineStart = true;
            for (byte b : message) {
                if (lineStart && b == '.') {
                    data.write('.');
                }
                data.write(b);
                lineStart = b == '\n';
            }
            data.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(data.toByteArray());
            out.flush();
            String accepted = reply(in);
            expect(accepted, "250");
            send(out, in, "QUIT");
            return accepted;
        }
    }

    private static String send(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    private static String reply(BufferedReader in) throws IOException {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed after '" + all + "'");
            }
            all.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString().strip();
            }
        }
        throw new IOException("reply too long: " + all);
    }

    private static void expect(String reply, String code) throws IOException {
        if (!reply.startsWith(code)) {
            throw new IOException("expected " + code + ", got '" + reply + "'");
        }
    }

    /** IMAP APPEND of the exact bytes with the given flags (e.g. "\\Seen"), by hand. */
    static void append(ImapServer server, TestUser user, String folder, String flags, byte[] message)
            throws IOException {
        try (Socket s = new Socket(server.host(), server.port())) {
            s.setSoTimeout(30_000);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            in.readLine();
            tagged(out, in, "a", "LOGIN " + user.login() + " " + user.password());
            out.write(("b APPEND \"" + folder + "\" (" + flags + ") {" + message.length + "+}\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(message);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitTagged(in, "b");
            tagged(out, in, "c", "LOGOUT");
        }
    }

    private static void tagged(OutputStream out, BufferedReader in, String tag, String command) throws IOException {
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        awaitTagged(in, tag);
    }

    private static void awaitTagged(BufferedReader in, String tag) throws IOException {
        for (int i = 0; i < 1000; i++) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("IMAP connection closed waiting for " + tag);
            }
            if (line.startsWith(tag + " ")) {
                if (!line.startsWith(tag + " OK")) {
                    throw new IOException("IMAP " + tag + ": " + line);
                }
                return;
            }
        }
        throw new IOException("no tagged reply for " + tag);
    }

    /** Every message in every selectable folder of the mailbox, read raw with BODY.PEEK[]. */
    static List<Found> all(ImapServer server, TestUser user) throws MessagingException, IOException {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "10000");
        props.put("mail.imap.timeout", "30000");
        props.put("mail.imap.peek", "true");
        props.put("mail.imap.partialfetch", "false");
        Store store = Session.getInstance(props).getStore("imap");
        store.connect(server.host(), server.port(), user.login(), user.password());
        List<Found> found = new ArrayList<>();
        try {
            List<Folder> folders = new ArrayList<>(List.of(store.getFolder("INBOX")));
            for (Folder f : store.getDefaultFolder().list("*")) {
                if (!f.getFullName().equalsIgnoreCase("INBOX") && (f.getType() & Folder.HOLDS_MESSAGES) != 0) {
                    folders.add(f);
                }
            }
            for (Folder folder : folders) {
                folder.open(Folder.READ_ONLY);
                try {
                    for (Message m : folder.getMessages()) {
                        org.eclipse.angus.mail.imap.IMAPMessage im = (org.eclipse.angus.mail.imap.IMAPMessage) m;
                        im.setPeek(true);
                        ByteArrayOutputStream raw = new ByteArrayOutputStream();
                        try (InputStream body = im.getMimeStream()) {
                            body.transferTo(raw);
                        }
                        String[] ids = m.getHeader("Message-ID");
                        found.add(new Found(
                                folder.getFullName(),
                                ((jakarta.mail.UIDFolder) folder).getUID(m),
                                flags(m.getFlags()),
                                ids == null ? "" : ids[0].strip(),
                                raw.toByteArray()));
                    }
                } finally {
                    folder.close(false);
                }
            }
        } finally {
            store.close();
        }
        return found;
    }

    private static Set<String> flags(Flags flags) {
        Set<String> out = new TreeSet<>();
        for (Flags.Flag f : flags.getSystemFlags()) {
            if (f == Flags.Flag.SEEN) out.add("\\Seen");
            if (f == Flags.Flag.FLAGGED) out.add("\\Flagged");
            if (f == Flags.Flag.ANSWERED) out.add("\\Answered");
            if (f == Flags.Flag.DELETED) out.add("\\Deleted");
            if (f == Flags.Flag.DRAFT) out.add("\\Draft");
        }
        for (String k : flags.getUserFlags()) {
            out.add(k);
        }
        return out;
    }

    /** The header block (up to and including the empty line) and the body of a raw message. */
    static byte[][] split(byte[] raw) {
        for (int i = 0; i + 3 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
                return new byte[][] {
                    java.util.Arrays.copyOfRange(raw, 0, i + 4), java.util.Arrays.copyOfRange(raw, i + 4, raw.length)
                };
            }
        }
        return new byte[][] {raw, new byte[0]};
    }

    /**
     * The header block without the trace fields mail transport prepends (Received by the relay and
     * Postfix, Return-Path and Delivered-To by Dovecot's LMTP): only a leading run of them is removed,
     * so a trace field anywhere else stays and makes the comparison fail.
     */
    static byte[] withoutLeadingTrace(byte[] headers) {
        String text = new String(headers, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < text.length()) {
            String lower = text.substring(at, Math.min(text.length(), at + 20)).toLowerCase(Locale.ROOT);
            if (!(lower.startsWith("received:")
                    || lower.startsWith("return-path:")
                    || lower.startsWith("delivered-to:")
                    || lower.startsWith("x-original-to:"))) {
                break;
            }
            int end = text.indexOf("\r\n", at);
            while (end >= 0
                    && end + 2 < text.length()
                    && (text.charAt(end + 2) == ' ' || text.charAt(end + 2) == '\t')) {
                end = text.indexOf("\r\n", end + 2);
            }
            at = end < 0 ? text.length() : end + 2;
        }
        return text.substring(at).getBytes(StandardCharsets.ISO_8859_1);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
