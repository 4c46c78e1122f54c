package io.mxcutover.sync.imap;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One raw untagged metadata FETCH response, read straight from the connection's bytes:
 * {@code * 7 FETCH (UID 12 FLAGS (\Seen $Label1) INTERNALDATE "09-Sep-2001 01:46:40 +0000"
 * RFC822.SIZE 4711 MODSEQ (88) BODY[HEADER.FIELDS (MESSAGE-ID ...)] {123}CRLF<123 bytes>)}.
 *
 * <p>This is the fast path of a folder snapshot: Angus would build a {@code Response}, a
 * {@code FetchResponse} with an object per item, a {@code Date} through its date format and a
 * copy of the header literal for every message, which for a folder of thousands of messages
 * costs more CPU than the server spends answering. {@link #parse} returns null for anything it
 * does not fully understand (another response, a FETCH without UID, RFC822.SIZE or INTERNALDATE
 * such as an unsolicited flag update, an item it does not know, an odd date); the caller then
 * hands the response to Angus as before, so an unusual server is slower, never misread. Flags
 * are named the way Angus names them ({@code \Recent} and {@code \*} dropped). Pure.
 */
record FetchedMeta(
        long uid, long size, long internalDate, long modseq, List<String> flags, int headerStart, int headerEnd) {
    private static final byte[] FETCH = " FETCH (".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final String MONTHS = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";

    /** Whether the header literal was present (else the header fields are empty). */
    boolean hasHeader() {
        return headerEnd > headerStart;
    }

    static FetchedMeta parse(byte[] b, int start, int end) {
        if (end - start < 10 || b[start] != '*' || b[start + 1] != ' ') {
            return null;
        }
        int fetch = FetchedBody.indexOf(b, start, Math.min(end, start + 32), FETCH);
        if (fetch < 0) {
            return null;
        }
        Cursor c = new Cursor(b, fetch + FETCH.length, end);
        long uid = -1;
        long size = -1;
        long date = Long.MIN_VALUE;
        long modseq = 0;
        List<String> flags = List.of();
        int headerStart = 0;
        int headerEnd = 0;
        while (true) {
            c.skipSpaces();
            if (c.at(')')) {
                break;
            }
            String item = c.itemName();
            if (item == null) {
                return null;
            }
            switch (item) {
                case "UID" -> uid = c.spaceThenNumber();
                case "RFC822.SIZE" -> size = c.spaceThenNumber();
                case "MODSEQ" -> {
                    if (!c.expect(' ') || !c.expect('(')) {
                        return null;
                    }
                    modseq = c.number();
                    if (!c.expect(')')) {
                        return null;
                    }
                }
                case "FLAGS" -> {
                    flags = c.spaceThenFlags();
                    if (flags == null) {
                        return null;
                    }
                }
                case "INTERNALDATE" -> {
                    date = c.spaceThenDate();
                    if (date == Long.MIN_VALUE) {
                        return null;
                    }
                }
                case "BODY[" -> {
                    if (!c.sectionIsHeaderFields() || !c.expect(' ')) {
                        return null;
                    }
                    int[] bounds = c.nstring();
                    if (bounds == null) {
                        return null;
                    }
                    headerStart = bounds[0];
                    headerEnd = bounds[1];
                }
                default -> {
                    return null; // an item we do not read here: Angus parses the whole response
                }
            }
            if (c.failed) {
                return null;
            }
        }
        if (uid <= 0 || size < 0 || date == Long.MIN_VALUE) {
            return null;
        }
        return new FetchedMeta(uid, size, date, modseq, flags, headerStart, headerEnd);
    }

    /** Reads IMAP tokens over {@code b[pos, end)}; a malformed token sets {@code failed}. */
    private static final class Cursor {
        private final byte[] b;
        private final int end;
        private int pos;
        private boolean failed;

        Cursor(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean at(char ch) {
            return pos < end && b[pos] == ch;
        }

        boolean expect(char ch) {
            if (pos < end && b[pos] == ch) {
                pos++;
                return true;
            }
            failed = true;
            return false;
        }

        void skipSpaces() {
            while (pos < end && b[pos] == ' ') {
                pos++;
            }
        }

        /** An item name up to a space, or {@code BODY[} (the section follows). Null at the end of the bytes. */
        String itemName() {
            int from = pos;
            while (pos < end && b[pos] != ' ' && b[pos] != '[' && b[pos] != ')' && b[pos] != '\r') {
                pos++;
            }
            if (pos >= end || pos == from) {
                return null;
            }
            if (b[pos] == '[') {
                pos++;
                String name = new String(b, from, pos - from, java.nio.charset.StandardCharsets.US_ASCII);
                return name.equalsIgnoreCase("BODY[") ? "BODY[" : name;
            }
            return new String(b, from, pos - from, java.nio.charset.StandardCharsets.US_ASCII)
                    .toUpperCase(java.util.Locale.ROOT);
        }

        long spaceThenNumber() {
            if (!expect(' ')) {
                return -1;
            }
            return number();
        }

        long number() {
            long v = 0;
            int digits = 0;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9' && digits < 19) {
                v = v * 10 + (b[pos] - '0');
                pos++;
                digits++;
            }
            if (digits == 0) {
                failed = true;
                return -1;
            }
            return v;
        }

        List<String> spaceThenFlags() {
            if (!expect(' ') || !expect('(')) {
                return null;
            }
            List<String> out = new ArrayList<>(4);
            while (true) {
                skipSpaces();
                if (pos >= end) {
                    return null;
                }
                if (b[pos] == ')') {
                    pos++;
                    return out;
                }
                int from = pos;
                while (pos < end
                        && b[pos] != ' '
                        && b[pos] != ')'
                        && b[pos] != '('
                        && b[pos] != '"'
                        && b[pos] != '\r'
                        && b[pos] != '{') {
                    pos++;
                }
                if (pos == from || pos >= end || b[pos] == '(' || b[pos] == '"' || b[pos] == '\r' || b[pos] == '{') {
                    return null;
                }
                String flag = named(new String(b, from, pos - from, java.nio.charset.StandardCharsets.ISO_8859_1));
                if (flag != null) {
                    out.add(flag);
                }
            }
        }

        /** Angus's naming of a flag (FLAGS parser + the store's flag names): null for \Recent and \*. */
        private static String named(String s) {
            if (s.length() < 2 || s.charAt(0) != '\\') {
                return s;
            }
            return switch (Character.toUpperCase(s.charAt(1))) {
                case 'S' -> "\\Seen";
                case 'R', '*' -> null;
                case 'A' -> "\\Answered";
                case 'F' -> "\\Flagged";
                case 'D' -> {
                    if (s.length() >= 3) {
                        char c = Character.toUpperCase(s.charAt(2));
                        if (c == 'E') {
                            yield "\\Deleted";
                        }
                        if (c == 'R') {
                            yield "\\Draft";
                        }
                        yield null; // Angus drops \D<other> without adding anything
                    }
                    yield s;
                }
                default -> s;
            };
        }

        /** {@code "dd-Mon-yyyy hh:mm:ss +zzzz"} (day may be space-padded) as epoch seconds; MIN_VALUE when odd. */
        long spaceThenDate() {
            if (!expect(' ') || !expect('"')) {
                return Long.MIN_VALUE;
            }
            int close = pos;
            while (close < end && b[close] != '"') {
                close++;
            }
            if (close >= end) {
                return Long.MIN_VALUE;
            }
            long v = internalDate(b, pos, close);
            pos = close + 1;
            return v;
        }

        /** After {@code BODY[}: a {@code HEADER.FIELDS (...)} section up to its {@code ]}, no partial origin. */
        boolean sectionIsHeaderFields() {
            int from = pos;
            while (pos < end && b[pos] != ']' && b[pos] != '\r') {
                pos++;
            }
            if (pos >= end || b[pos] != ']') {
                return false;
            }
            String section = new String(b, from, pos - from, java.nio.charset.StandardCharsets.US_ASCII);
            pos++;
            String upper = section.toUpperCase(java.util.Locale.ROOT);
            return upper.startsWith("HEADER.FIELDS (") && !upper.startsWith("HEADER.FIELDS.NOT");
        }

        /** A literal {@code {n}CRLF<n bytes>}, a plain quoted string or NIL: its bounds, or null. */
        int[] nstring() {
            if (pos >= end) {
                return null;
            }
            if (b[pos] == '{') {
                pos++;
                long n = number();
                if (failed || !expect('}') || !expect('\r') || !expect('\n') || pos + n > end) {
                    return null;
                }
                int from = pos;
                pos += (int) n;
                return new int[] {from, pos};
            }
            if (b[pos] == '"') {
                int from = ++pos;
                while (pos < end && b[pos] != '"') {
                    if (b[pos] == '\\') {
                        return null; // escapes: left to Angus
                    }
                    pos++;
                }
                if (pos >= end) {
                    return null;
                }
                return new int[] {from, pos++};
            }
            if (end - pos >= 3 && (b[pos] | 0x20) == 'n' && (b[pos + 1] | 0x20) == 'i' && (b[pos + 2] | 0x20) == 'l') {
                pos += 3;
                return new int[] {0, 0};
            }
            return null;
        }
    }

    /** Epoch seconds of an IMAP date-time {@code dd-Mon-yyyy hh:mm:ss +zzzz} in {@code b[from, to)}; MIN_VALUE if odd. */
    static long internalDate(byte[] b, int from, int to) {
        int p = from;
        if (p < to && b[p] == ' ') {
            p++;
        }
        int day = 0;
        int dayDigits = 0;
        while (p < to && b[p] >= '0' && b[p] <= '9' && dayDigits < 2) {
            day = day * 10 + (b[p++] - '0');
            dayDigits++;
        }
        if (dayDigits == 0 || p >= to || b[p] != '-') {
            return Long.MIN_VALUE;
        }
        p++;
        if (to - p != 23) { // "Mon-yyyy hh:mm:ss +zzzz"
            return Long.MIN_VALUE;
        }
        String mon = new String(b, p, 3, java.nio.charset.StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
        int month = MONTHS.indexOf(mon);
        if (month < 0
                || month % 3 != 0
                || b[p + 3] != '-'
                || b[p + 8] != ' '
                || b[p + 11] != ':'
                || b[p + 14] != ':'
                || b[p + 17] != ' '
                || (b[p + 18] != '+' && b[p + 18] != '-')) {
            return Long.MIN_VALUE;
        }
        int year = digits(b, p + 4, 4);
        int hour = digits(b, p + 9, 2);
        int minute = digits(b, p + 12, 2);
        int second = digits(b, p + 15, 2);
        int zh = digits(b, p + 19, 2);
        int zm = digits(b, p + 21, 2);
        if (year < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 60
                || zh < 0
                || zm < 0
                || zm > 59
                || day < 1) {
            return Long.MIN_VALUE;
        }
        LocalDate d;
        try {
            d = LocalDate.of(year, month / 3 + 1, day);
        } catch (java.time.DateTimeException e) {
            return Long.MIN_VALUE;
        }
        long offset = (zh * 3600L + zm * 60L) * (b[p + 18] == '-' ? -1 : 1);
        return d.toEpochDay() * 86400L + hour * 3600L + minute * 60L + second - offset;
    }

    private static int digits(byte[] b, int at, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            byte c = b[at + i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
