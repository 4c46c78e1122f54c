package io.mxcutover.relay.intake;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The DATA section of one message, read in bulk straight out of the session's buffer: ends at
 * the first CRLF "." CRLF (RFC 5321 §4.1.1.4; the start of DATA counts as a line start), removes
 * the leading dot of every dot-stuffed line (§4.5.2), and consumes nothing past the final CRLF,
 * so pipelined commands behind it stay in the buffer for the command reader.
 *
 * <p>Only CR LF ends a line here: a dot after a bare LF or bare CR is content, and
 * {@code LF . LF} or {@code CR . CR} never end the message (SMTP smuggling); the bare line
 * endings themselves are judged later by {@link DataScanner}.
 *
 * <p>Why not the library's streams: they read and unstuff one byte per call through three
 * layers, which profiling showed as most of the relay's CPU time for 100 KB messages. Here the
 * common case, a run of bytes without CR, is one {@code System.arraycopy}.
 */
final class DataStream extends InputStream {

    private enum State {
        LINE_START,
        TEXT,
        AFTER_CR,
        DOT_AT_LINE_START,
        DOT_CR,
        DONE
    }

    private final SessionInput.Unsynchronized source;
    private State state = State.LINE_START;

    DataStream(SessionInput.Unsynchronized source) {
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (state == State.DONE) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len && state != State.DONE) {
            if (source.pos >= source.count) {
                if (n > 0) {
                    return n; // hand over what we have rather than wait for the client
                }
                if (!source.fill()) {
                    throw new EOFException("connection closed inside DATA (no CRLF.CRLF)");
                }
            }
            byte[] buf = source.buf;
            if (state == State.TEXT) {
                int p = source.pos;
                int limit = Math.min(source.count, p + (len - n));
                int q = LineEnds.indexOfCr(buf, p, limit);
                System.arraycopy(buf, p, b, off + n, q - p);
                n += q - p;
                if (q < limit) {
                    b[off + n++] = '\r';
                    q++;
                    state = State.AFTER_CR;
                }
                source.pos = q;
                continue;
            }
            byte c = buf[source.pos];
            switch (state) {
                case LINE_START -> {
                    if (c == '.') {
                        source.pos++;
                        state = State.DOT_AT_LINE_START;
                    } else {
                        state = State.TEXT; // not consumed: the text path copies it
                    }
                }
                case AFTER_CR -> {
                    source.pos++;
                    b[off + n++] = c;
                    state = c == '\n' ? State.LINE_START : c == '\r' ? State.AFTER_CR : State.TEXT;
                }
                case DOT_AT_LINE_START -> {
                    if (c == '\r') {
                        source.pos++;
                        state = State.DOT_CR;
                    } else {
                        // a stuffed line: the leading dot is dropped, the rest is text ("..x" -> ".x")
                        state = State.TEXT;
                    }
                }
                case DOT_CR -> {
                    if (c == '\n') {
                        source.pos++;
                        state = State.DONE;
                    } else {
                        // ". CR x": not the end; the dot goes (it led the line), the CR stays
                        b[off + n++] = '\r';
                        state = State.AFTER_CR;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return n == 0 && state == State.DONE ? -1 : n;
    }

    /** True once the final dot has been read. */
    boolean finished() {
        return state == State.DONE;
    }
}
