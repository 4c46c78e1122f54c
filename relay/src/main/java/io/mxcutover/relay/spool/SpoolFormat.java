package io.mxcutover.relay.spool;

import io.mxcutover.relay.smtp.Envelope;
import io.mxcutover.relay.smtp.MailAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The on-disk layout of one spool file (version 1). Text lines end in LF; the message bytes are
 * stored exactly as they will be sent.
 * <pre>
 * MXCUTOVER-SPOOL 1
 * id 19CABC0DE00001X7Q
 * arrival 1767225600000
 * client 127.0.0.1
 * helo client.example
 * origin SMTP
 * smtputf8                        (only when the client declared SMTPUTF8, RFC 6531)
 * body 8BITMIME                   (only when the client declared it, RFC 6152)
 * sender alice@example.org        ("sender &lt;&gt;" for the null sender; addresses in UTF-8)
 * rcpt bob@example.test           (one line per recipient)
 *                                 (empty line: header ends)
 * ...message bytes...
 * END 0000000000001234 89abcdef   (preceded by LF; length and CRC-32C of the message bytes)
 * </pre>
 * The fixed-size trailer is the commit record: a file without it is incomplete.
 */
public final class SpoolFormat {

    static final String MAGIC = "MXCUTOVER-SPOOL 1";
    /** "\nEND " + 16 hex + " " + 8 hex + "\n". */
    public static final int TRAILER_LENGTH = 1 + 4 + 16 + 1 + 8 + 1;

    private static final int MAX_HEADER = 1 << 20;

    private SpoolFormat() {}

    public static byte[] header(
            SpoolId id, Instant arrival, String client, String helo, SpoolEntry.Origin origin, Envelope envelope) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(MAGIC).append('\n');
        sb.append("id ").append(id.value()).append('\n');
        sb.append("arrival ").append(arrival.toEpochMilli()).append('\n');
        sb.append("client ").append(clean(client)).append('\n');
        sb.append("helo ").append(clean(helo)).append('\n');
        sb.append("origin ").append(origin.name()).append('\n');
        if (envelope.smtputf8()) {
            sb.append("smtputf8\n");
        }
        if (envelope.eightBitMime()) {
            sb.append("body 8BITMIME\n");
        }
        sb.append("sender ")
                .append(envelope.sender().map(SpoolFormat::clean).orElse("<>"))
                .append('\n');
        for (MailAddress r : envelope.recipients()) {
            sb.append("rcpt ").append(clean(r.toString())).append('\n');
        }
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] trailer(long messageLength, int crc) {
        String len = Long.toHexString(messageLength);
        String sum = Integer.toHexString(crc);
        String t = "\nEND " + "0".repeat(16 - len.length()) + len + " " + "0".repeat(8 - sum.length()) + sum + "\n";
        return t.getBytes(StandardCharsets.US_ASCII);
    }

    /** Control characters would break the line format; they can only come from a hostile HELO. */
    static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }

    /**
     * Reads header and trailer of a complete spool file; throws {@link SpoolException} when the
     * file is incomplete or malformed (the caller moves it to corrupt/).
     */
    public static SpoolEntry read(FileChannel ch, String name) throws IOException {
        long size = ch.size();
        // The header is normally far below 16 KiB; read more only for huge recipient lists.
        int want = 16384;
        byte[] headerBytes = null;
        while (headerBytes == null) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, want));
            readFully(ch, head, 0);
            byte[] bytes = head.array();
            for (int i = 1; i < head.position(); i++) {
                if (bytes[i] == '\n' && bytes[i - 1] == '\n') {
                    headerBytes = java.util.Arrays.copyOf(bytes, i + 1);
                    break;
                }
            }
            if (headerBytes == null && (want >= size || want >= MAX_HEADER)) {
                throw new SpoolIncompleteException("spool file " + name + " has no complete header");
            }
            want *= 4;
        }
        long messageOffset = headerBytes.length;
        String headerText = new String(headerBytes, StandardCharsets.UTF_8);
        List<String> lines = List.of(headerText.split("\n"));
        if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) {
            throw new SpoolException("spool file " + name + " does not start with " + MAGIC);
        }
        if (size < messageOffset + TRAILER_LENGTH) {
            throw new SpoolIncompleteException("spool file " + name + " is truncated (no trailer)");
        }
        ByteBuffer tb = ByteBuffer.allocate(TRAILER_LENGTH);
        readFully(ch, tb, size - TRAILER_LENGTH);
        String trailer = new String(tb.array(), StandardCharsets.US_ASCII);
        if (!trailer.startsWith("\nEND ") || trailer.charAt(21) != ' ' || trailer.charAt(TRAILER_LENGTH - 1) != '\n') {
            throw new SpoolIncompleteException("spool file " + name + " has no END trailer (incomplete write)");
        }
        long length;
        int crc;
        try {
            length = Long.parseLong(trailer.substring(5, 21), 16);
            crc = (int) Long.parseLong(trailer.substring(22, 30), 16);
        } catch (NumberFormatException e) {
            throw new SpoolException("spool file " + name + " has a malformed END trailer");
        }
        if (messageOffset + length + TRAILER_LENGTH != size) {
            throw new SpoolException("spool file " + name + " length " + size + " does not match its trailer");
        }
        return parseHeader(lines, name, messageOffset, length, crc);
    }

    private static SpoolEntry parseHeader(List<String> lines, String name, long offset, long length, int crc)
            throws SpoolException {
        String id = null;
        String arrival = null;
        String client = "";
        String helo = "";
        String origin = "SMTP";
        String sender = null;
        boolean smtputf8 = false;
        boolean eightBitMime = false;
        List<MailAddress> rcpts = new ArrayList<>();
        try {
            for (String line : lines.subList(1, lines.size())) {
                if (line.isEmpty()) {
                    continue;
                }
                int sp = line.indexOf(' ');
                String key = sp < 0 ? line : line.substring(0, sp);
                String value = sp < 0 ? "" : line.substring(sp + 1);
                switch (key) {
                    case "id" -> id = value;
                    case "arrival" -> arrival = value;
                    case "client" -> client = value;
                    case "helo" -> helo = value;
                    case "origin" -> origin = value;
                    case "sender" -> sender = value;
                    case "smtputf8" -> smtputf8 = true;
                    case "body" -> eightBitMime = value.equals("8BITMIME");
                    case "rcpt" -> rcpts.add(MailAddress.of(value));
                    default -> {
                        /* unknown keys from a newer version are ignored */
                    }
                }
            }
            if (id == null || arrival == null || sender == null || rcpts.isEmpty()) {
                throw new SpoolException("spool file " + name + " header lacks id, arrival, sender or rcpt");
            }
            Optional<String> from = sender.equals("<>") ? Optional.empty() : Optional.of(sender);
            return new SpoolEntry(
                    SpoolId.of(id),
                    Instant.ofEpochMilli(Long.parseLong(arrival)),
                    client,
                    helo,
                    SpoolEntry.Origin.valueOf(origin),
                    new Envelope(
                            from,
                            rcpts,
                            // files written before the smtputf8 line: a UTF-8 address implies it
                            smtputf8 || new Envelope(from, rcpts).smtputf8(),
                            eightBitMime),
                    offset,
                    length,
                    crc);
        } catch (IllegalArgumentException e) {
            throw new SpoolException("spool file " + name + " has a malformed header: " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                break;
            }
            p += n;
        }
    }
}
