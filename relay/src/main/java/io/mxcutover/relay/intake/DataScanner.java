package io.mxcutover.relay.intake;

/**
 * Streaming pass over the DATA bytes (already dot-unstuffed by SubEthaSMTP) that measures what
 * SubEthaSMTP does not: the size, bare CR/LF (SMTP smuggling, RFC 5321 §2.3.8) and the
 * Received-header hop count (loop detection). It also repairs one SubEthaSMTP quirk: the
 * first line of DATA is not dot-unstuffed, so a leading ".." is turned back into ".".
 *
 * <p>Output is always CRLF-normalised (bare CR or LF become CRLF); whether a message with bare
 * line endings, too many Received headers or too many bytes is accepted is {@link ContentPolicy}'s
 * verdict on what this scanner saw. Not thread-safe.
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
        int i = 0;
        while (i < len) {
            if (!inHeader && !pendingCr && position >= 2) {
                // Body, the common case: a run of bytes whose line endings are all CRLF needs no
                // change and no per-byte bookkeeping; copy it in one go, stop at the first oddity.
                int run = cleanRun(in, i, len);
                System.arraycopy(in, i, out, o, run - i);
                o += run - i;
                i = run;
                if (i >= len) {
                    break;
                }
            }
            o = careful(in[i++], out, o);
        }
        return o;
    }

    /** One byte with all the bookkeeping: first-line dots, header lines, bare CR/LF. */
    private int careful(byte b, byte[] out, int o) {
        if (position < 2) {
            position++;
            if (position == 1 && b == '.') {
                heldDot = true;
                return o;
            }
            if (position == 2 && heldDot) {
                heldDot = false;
                if (b != '.') {
                    o = emit((byte) '.', out, o);
                }
                // ".." on the first line: SubEthaSMTP left the stuffing in; drop one dot.
            }
        }
        return emit(b, out, o);
    }

    /**
     * End of the run of {@code in[from, len)} in which every CR is followed by LF and every LF
     * preceded by CR.
     */
    private static int cleanRun(byte[] in, int from, int len) {
        int i = from;
        while (i < len) {
            int j = LineEnds.indexOfCrOrLf(in, i, len);
            if (j >= len) {
                return len;
            }
            if (in[j] == '\n' || j + 1 >= len || in[j + 1] != '\n') {
                return j; // bare LF, bare CR or a CR at the chunk's end: the careful path decides
            }
            i = j + 2;
        }
        return i;
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
        return ContentPolicy.oversize(size, maxSize);
    }

    boolean bareLineEnding() {
        return bareLineEnding;
    }

    int receivedHeaders() {
        return received;
    }
}
