package io.mxcutover.relay.intake;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.internal.io.CRLFTerminatedReader;
import org.subethamail.smtp.server.Session;

/**
 * Replaces a new session's input buffer with an unsynchronised one.
 *
 * <p>SubEthaSMTP reads DATA one byte at a time through two wrapper streams down to a
 * {@code java.io.BufferedInputStream}, whose {@code read()} is {@code synchronized}: profiling
 * showed that lock, taken per byte, as two thirds of the relay's CPU time for 100 KB messages.
 * Before the session reads anything (the {@link SessionGuard} runs before the banner) its
 * {@code input} and the command {@code reader} built on it are swapped for equivalents over
 * {@link Unsynchronized}. STARTTLS rebuilds both with the library's own classes; the relay's
 * STARTTLS wrapper ({@link Intake}) installs ours again right after the handshake.
 *
 * <p>XXX: this reaches into SubEthaSMTP's private fields (checked against 7.2.2). If they change,
 * the swap is skipped with one warning and the session works as before.
 */
final class SessionInput {

    private static final Logger LOG = LoggerFactory.getLogger(SessionInput.class);
    private static final Field INPUT;
    private static final Field READER;
    private static final Field SOCKET;

    static {
        Field input = null;
        Field reader = null;
        Field socket = null;
        try {
            input = Session.class.getDeclaredField("input");
            reader = Session.class.getDeclaredField("reader");
            socket = Session.class.getDeclaredField("socket");
            input.setAccessible(true);
            reader.setAccessible(true);
            socket.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "SubEthaSMTP internals differ from 7.2.2 ({}); keeping its synchronised input buffer",
                    e.toString());
            input = null;
        }
        INPUT = input;
        READER = reader;
        SOCKET = socket;
    }

    private SessionInput() {}

    /** Whether the session reads through our buffer (so {@link DataStream} can be used). */
    static boolean installed(Session session) {
        return session.getRawInput() instanceof Unsynchronized;
    }

    static void install(Session session) {
        if (INPUT == null) {
            return;
        }
        try {
            java.net.Socket socket = (java.net.Socket) SOCKET.get(session);
            InputStream fast = new Unsynchronized(socket.getInputStream(), 16 * 1024);
            INPUT.set(session, fast);
            READER.set(session, new CRLFTerminatedReader(fast));
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            LOG.debug("keeping SubEthaSMTP's input buffer for session {}: {}", session.getSessionId(), e.toString());
        }
    }

    /**
     * A plain buffered stream without locks: a session is read by one thread only. Its buffer is
     * shared with {@link DataStream}, which scans DATA in place and leaves whatever follows the
     * final dot (pipelined commands) in the buffer for the command reader.
     */
    static final class Unsynchronized extends InputStream {
        private final InputStream in;
        final byte[] buf;
        int pos;
        int count;
        /** The client closed the connection: a read of the socket returned end of stream. */
        private boolean ended;

        Unsynchronized(InputStream in, int size) {
            this.in = in;
            this.buf = new byte[size];
        }

        /** Refills the (empty) buffer with one read; false at end of stream. */
        boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                ended |= n < 0;
                return false;
            }
            pos = 0;
            count = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            if (pos >= count && !fill()) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= count) {
                if (len >= buf.length) {
                    int n = in.read(b, off, len);
                    ended |= n < 0;
                    return n;
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(len, count - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        /**
         * Whether the client has closed the connection (a read returned end of stream). SubEthaSMTP's
         * BDAT stream reports such an end like the end of the LAST chunk; this tells them apart.
         */
        boolean ended() {
            return ended;
        }

        @Override
        public int available() throws IOException {
            return (count - pos) + in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
