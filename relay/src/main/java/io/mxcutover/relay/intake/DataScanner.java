package io.mxcutover.relay.intake;

/**
 * Streaming pass over the DATA bytes (already dot-unstuffed by SubEthaSMTP) that enforces what
 * SubEthaSMTP does not: the size limit, bare CR/LF detection (SMTP smuggling, RFC 5321 §2.3.8),
 * and the Received-header hop count (loop detection). It also repairs one SubEthaSMTP quirk: the
 * first line of DATA is not dot-unstuffed, so a leading ".." is turned back into ".".
 *
 * <p>Output is always CRLF-normalised (bare CR or LF become CRLF); whether a message with bare
 * line endings is accepted is the caller's policy. Not thread-safe.
 */
final class DataScanner {

    private static final byte[] RECEIVED = "received:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final long maxSize;
    private long size;
    private boolean pendingCr;
    private boolean bareLineEnding;
    private boolean inHeader = true;
    private int lineLength;
    private boolean prefixMatches = true;
    private int received;
    private int position;
    private boolean heldDot;

    /**
     * @param unstuffFirstLine true for DATA (undo the library's missed unstuffing of the first
     *                         line), false for BDAT (no dot-stuffing exists there)
     */
    DataScanner(long maxSize, boolean unstuffFirstLine) {
        this.maxSize = maxSize;
        this.position = unstuffFirstLine ? 0 : 2;
    }

    /**
     * Scans {@code len} bytes of {@code in}; writes the normalised bytes to {@code out} (which
     * must hold at least {@code 2 * len + 2}) and returns how many were written.
     */
    int scan(byte[] in, int len, byte[] out) {
        int o = 0;
        size += len;
        for (int i = 0; i < len; i++) {
            byte b = in[i];
            if (position < 2) {
                position++;
                if (position == 1 && b == '.') {
                    heldDot = true;
                    continue;
                }
                if (position == 2 && heldDot) {
                    heldDot = false;
                    if (b != '.') {
                        o = emit((byte) '.', out, o);
                    }
                    // ".." on the first line: SubEthaSMTP left the stuffing in; drop one dot.
                }
            }
            o = emit(b, out, o);
        }
        return o;
    }

    private int emit(byte b, byte[] out, int o) {
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                out[o++] = '\n';
                endOfLine();
                return o;
            }
            bareLineEnding = true;
            out[o++] = '\n';
            endOfLine();
        }
        if (b == '\r') {
            pendingCr = true;
            out[o++] = '\r';
            return o;
        }
        if (b == '\n') {
            bareLineEnding = true;
            out[o++] = '\r';
            out[o++] = '\n';
            endOfLine();
            return o;
        }
        if (inHeader) {
            if (lineLength < RECEIVED.length) {
                byte lower = (b >= 'A' && b <= 'Z') ? (byte) (b + 32) : b;
                prefixMatches &= lower == RECEIVED[lineLength];
            }
            lineLength++;
        }
        out[o++] = b;
        return o;
    }

    private void endOfLine() {
        if (inHeader) {
            if (lineLength == 0) {
                inHeader = false;
            } else if (prefixMatches && lineLength >= RECEIVED.length) {
                received++;
            }
        }
        lineLength = 0;
        prefixMatches = true;
    }

    /** Call after the last chunk; returns bytes to append (a dangling CR or held dot). */
    int finish(byte[] out) {
        int o = 0;
        if (heldDot) {
            heldDot = false;
            o = emit((byte) '.', out, o);
        }
        if (pendingCr) {
            pendingCr = false;
            bareLineEnding = true;
            out[o++] = '\n';
            endOfLine();
        }
        return o;
    }

    long size() {
        return size;
    }

    boolean oversize() {
        return maxSize > 0 && size > maxSize;
    }

    boolean bareLineEnding() {
        return bareLineEnding;
    }

    int receivedHeaders() {
        return received;
    }
}
