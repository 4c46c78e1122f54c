package io.mxcutover.sync.imap;

/**
 * Where the body is in one raw untagged FETCH response such as
 * {@code * 12 FETCH (UID 34 BODY[] {5678}CRLF<5678 bytes>)}: the UID and the literal's bounds.
 * The UID may come before or after the body; a partial fetch's origin ({@code BODY[]<1048576>}) is kept in
 * {@code origin} (-1 when the response has none): it says which slice of the message the literal is, whatever
 * order the answers came in. Anything else (another response, a FETCH without
 * {@code BODY[]}, {@code BODY[] NIL}) is not a body: {@link #parse} returns null. Pure.
 */
record FetchedBody(long uid, long origin, int literalStart, int literalEnd) {
    private static final byte[] FETCH = " FETCH (".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] BODY = "BODY[]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] UID = "UID ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static FetchedBody parse(byte[] b, int start, int end) {
        if (end - start < 4 || b[start] != '*' || b[start + 1] != ' ') {
            return null;
        }
        int fetch = indexOf(b, start, Math.min(end, start + 32), FETCH);
        if (fetch < 0) {
            return null;
        }
        // The first line ends at the first CRLF: with a body it ends with {n}.
        int lineEnd = fetch;
        while (lineEnd < end && b[lineEnd] != '\n') {
            lineEnd++;
        }
        if (lineEnd >= end) {
            return null; // a single-line FETCH: flags, no literal
        }
        int close = lineEnd - 1;
        if (close > start && b[close] == '\r') {
            close--;
        }
        if (b[close] != '}') {
            return null;
        }
        int open = close - 1;
        if (b[open] == '+') {
            open--;
        }
        long n = 0;
        long scale = 1;
        while (open > fetch && b[open] >= '0' && b[open] <= '9') {
            n += (b[open] - '0') * scale;
            scale *= 10;
            open--;
        }
        if (b[open] != '{' || scale == 1) {
            return null;
        }
        int body = indexOf(b, fetch, open, BODY);
        if (body < 0) {
            return null;
        }
        // Only an origin (BODY[]<0>, a partial fetch) and spaces between BODY[] and the literal: the literal is
        // the body (not, say, a header field).
        int after = body + BODY.length;
        long origin = -1;
        if (after < open && b[after] == '<') {
            after++;
            origin = 0;
            int digits = 0;
            while (after < open && b[after] >= '0' && b[after] <= '9' && digits < 18) {
                origin = origin * 10 + (b[after] - '0');
                after++;
                digits++;
            }
            if (digits == 0 || after >= open || b[after] != '>') {
                return null;
            }
            after++;
        }
        for (int i = after; i < open; i++) {
            if (b[i] != ' ') {
                return null;
            }
        }
        int literalStart = lineEnd + 1;
        long literalEnd = literalStart + n;
        if (literalEnd > end) {
            return null;
        }
        long uid = uid(b, fetch, body);
        if (uid < 0) {
            uid = uid(b, (int) literalEnd, end);
        }
        return uid < 0 ? null : new FetchedBody(uid, origin, literalStart, (int) literalEnd);
    }

    private static long uid(byte[] b, int from, int to) {
        for (int i = indexOf(b, from, to, UID); i >= 0; i = indexOf(b, i + 1, to, UID)) {
            if (i > 0 && (b[i - 1] == ' ' || b[i - 1] == '(')) {
                long v = 0;
                int j = i + UID.length;
                int digits = 0;
                while (j < to && b[j] >= '0' && b[j] <= '9' && digits < 19) {
                    v = v * 10 + (b[j] - '0');
                    j++;
                    digits++;
                }
                if (digits > 0) {
                    return v;
                }
            }
        }
        return -1;
    }

    static int indexOf(byte[] b, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (b[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
