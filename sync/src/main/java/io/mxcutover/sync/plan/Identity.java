package io.mxcutover.sync.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What makes a message "the same message" on both servers without touching its bytes
 * (see docs/sync-identity.md): its Message-ID, its size, its INTERNALDATE (seconds) and a
 * digest of a fixed set of header fields. The digest is what tells apart messages without
 * a Message-ID, or with one Message-ID shared by different messages; it is computed from the
 * same FETCH as the rest, so identity costs no extra round trip.
 */
public record Identity(String messageId, long size, long internalDate, String headerDigest) {
    /** The header fields fetched (BODY.PEEK[HEADER.FIELDS (...)]) and digested, in this order. */
    public static final List<String> HEADER_SET =
            List.of("message-id", "date", "from", "sender", "to", "cc", "subject", "in-reply-to", "references");

    public Identity {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(headerDigest, "headerDigest");
        if (size < 0) {
            throw new IllegalArgumentException("message size is negative: " + size);
        }
    }

    /** The key stored in the state and compared between servers. */
    public String key() {
        return size + ":" + internalDate + ":" + headerDigest;
    }

    public boolean hasMessageId() {
        return !messageId.isEmpty();
    }

    /**
     * Builds the identity from the raw bytes the server returned for
     * {@code BODY.PEEK[HEADER.FIELDS (...HEADER_SET)]}. Field names compare case-insensitively,
     * folded lines are unfolded and runs of white space collapse to one space, so two servers
     * that return the fields in a different layout still agree.
     */
    public static Identity of(byte[] headerFields, long size, long internalDateEpochSeconds) {
        List<String[]> fields = parseFields(headerFields == null ? new byte[0] : headerFields);
        String messageId = "";
        StringBuilder canonical = new StringBuilder();
        for (String name : HEADER_SET) {
            for (String[] f : fields) {
                if (f[0].equals(name)) {
                    canonical.append(name).append(':').append(f[1]).append('\n');
                    if (name.equals("message-id") && messageId.isEmpty()) {
                        messageId = f[1];
                    }
                }
            }
        }
        return new Identity(
                messageId,
                size,
                internalDateEpochSeconds,
                sha256Hex(canonical.toString()).substring(0, 32));
    }

    static List<String[]> parseFields(byte[] raw) {
        // ISO-8859-1 maps every byte to one char, so 8-bit headers digest the same everywhere.
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        List<String[]> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines(text)) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(' ').append(line.strip());
                continue;
            }
            if (current != null) {
                fields.add(split(current.toString()));
            }
            current = new StringBuilder(line);
        }
        if (current != null) {
            fields.add(split(current.toString()));
        }
        fields.removeIf(f -> f[0].isEmpty());
        return fields;
    }

    private static String[] split(String field) {
        int colon = field.indexOf(':');
        if (colon < 0) {
            return new String[] {"", ""};
        }
        String name = field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = collapseBlanks(field.substring(colon + 1).strip());
        return new String[] {name, value};
    }

    /**
     * The lines of {@code text}, split at CRLF, LF or a lone CR (what {@code split("\r\n|\n|\r", -1)} gives,
     * without compiling a pattern per message: this runs for every message of every snapshot).
     */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                out.add(text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    /** Runs of spaces and tabs become one space (what {@code replaceAll("[ \t]+", " ")} gives). */
    static String collapseBlanks(String s) {
        StringBuilder sb = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean blank = c == ' ' || c == '\t';
            if (blank && (c == '\t' || (i + 1 < n && (s.charAt(i + 1) == ' ' || s.charAt(i + 1) == '\t')))) {
                if (sb == null) {
                    sb = new StringBuilder(n).append(s, 0, i);
                }
                sb.append(' ');
                while (i + 1 < n && (s.charAt(i + 1) == ' ' || s.charAt(i + 1) == '\t')) {
                    i++;
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** One digest per thread: a provider lookup per message is measurable in a snapshot of thousands. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    static String sha256Hex(String s) {
        MessageDigest d = SHA256.get();
        d.reset();
        return HexFormat.of().formatHex(d.digest(s.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
