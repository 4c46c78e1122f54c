package io.mxcutover.sync.imap;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Whether a message is canonical for IMAP (RFC 3501: CRLF line ends, no bare CR, no bare LF,
 * no NUL). Servers may rewrite a non-canonical message on APPEND (Dovecot turns a bare CR into
 * a line break), so such a copy cannot be byte-identical; verification reports it separately.
 */
public final class ContentShape {
    private ContentShape() {}

    public static boolean isCanonical(RawMessage message) {
        Scanner s = new Scanner();
        try {
            message.writeTo(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.canonical && !s.pendingCr;
    }

    private static final class Scanner extends OutputStream {
        boolean canonical = true;
        boolean pendingCr;

        @Override
        public void write(int b) {
            if (pendingCr && b != '\n') {
                canonical = false;
            }
            if (b == '\n' && !pendingCr) {
                canonical = false;
            }
            if (b == 0) {
                canonical = false;
            }
            pendingCr = b == '\r';
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len && canonical; i++) {
                write(b[i]);
            }
        }
    }
}
