package io.mxcutover.sync.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A loopback TCP proxy in front of a real IMAP server that misbehaves on request, for tests of
 * what the sync does when a server drops the connection or throttles:
 * <ul>
 *   <li>{@link #cutNextBodyFetchAfter(long)}: the next response to a {@code BODY.PEEK[]} FETCH is cut
 *       after that many bytes (both sockets closed), once;</li>
 *   <li>{@link #throttleNextBodyFetch(String)}: the next {@code BODY.PEEK[]} FETCH is answered by the proxy
 *       itself with {@code <tag> <text>} (e.g. {@code NO [THROTTLED] ...}) instead of reaching the server, once;</li>
 *   <li>{@link #interleaveInNextBodyFetch(String)}: an unsolicited untagged line slipped into the next body
 *       FETCH's response, once.</li>
 * </ul>
 * It relays responses by IMAP structure (lines and literals), so it can cut mid-literal at an exact
 * byte count. STARTTLS is removed from the capabilities the server announces (so the traffic stays
 * readable); every other byte goes through unchanged.
 */
public final class ImapProxy implements AutoCloseable {
    private static final byte[] BODY_FETCH = "BODY.PEEK[]".getBytes(StandardCharsets.US_ASCII);
    /** A slice FETCH: its UID and origin. */
    private static final java.util.regex.Pattern SLICE =
            java.util.regex.Pattern.compile("UID FETCH (\\d+) .*BODY\\.PEEK\\[\\]<(\\d+)\\.");

    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicReference<long[]> cutAfter = new AtomicReference<>();
    private final AtomicReference<Object[]> throttle = new AtomicReference<>();
    private final AtomicReference<String> interleave = new AtomicReference<>();
    private final AtomicReference<Object[]> refuse = new AtomicReference<>();
    private final AtomicReference<String[]> rewrite = new AtomicReference<>();
    private final AtomicInteger rewrittenCount = new AtomicInteger();
    private final AtomicInteger interleavedCount = new AtomicInteger();
    private final List<BodyFetch> bodyFetchLog = new CopyOnWriteArrayList<>();
    private volatile Supplier<String> probe = () -> "";
    private volatile String announce = "";
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger bodyFetches = new AtomicInteger();
    private final Thread acceptor;

    public ImapProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "imap-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code imap://127.0.0.1:<proxy port>} (plain: the proxy hides STARTTLS). */
    public String uri() {
        return "imap://127.0.0.1:" + port();
    }

    public void cutNextBodyFetchAfter(long bytes) {
        cutBodyFetchAfter(1, bytes);
    }

    /** The first connection to send its {@code nth} body FETCH gets that response cut after {@code bytes}; once. */
    public void cutBodyFetchAfter(int nth, long bytes) {
        cutAfter.set(new long[] {nth, bytes, 0});
    }

    /**
     * The first connection to send its {@code nth} body FETCH, a slice ({@code UID FETCH <uid> (UID
     * BODY.PEEK[]<origin.length>)}), gets that slice's own answer cut after {@code bytes}, counted from the answer's
     * first line ({@code * n FETCH (UID <uid> BODY[]<origin> {size}}); once. Unlike {@link #cutBodyFetchAfter}, the
     * cut falls inside that answer however the server interleaves the answers of pipelined FETCHes (Dovecot may
     * send a later slice before an earlier one's tagged OK) and however the proxy's threads are scheduled.
     */
    public void cutBodyFetchResponseAfter(int nth, long bytes) {
        cutAfter.set(new long[] {nth, bytes, 1});
    }

    /**
     * Before the tagged end of the next {@code BODY.PEEK[]} FETCH's response, the proxy slips in
     * {@code untaggedLine} (e.g. {@code * 1 FETCH (FLAGS (\Seen))}, a flag change another session made), once.
     */
    public void interleaveInNextBodyFetch(String untaggedLine) {
        interleave.set(untaggedLine);
    }

    public int interleaved() {
        return interleavedCount.get();
    }

    public void throttleNextBodyFetch(String taggedText) {
        throttleBodyFetch(1, taggedText);
    }

    /** The first connection to send its {@code nth} body FETCH gets {@code <tag> taggedText} from the proxy; once. */
    public void throttleBodyFetch(int nth, String taggedText) {
        throttle.set(new Object[] {nth, taggedText});
    }

    /**
     * The first client command line that contains every one of {@code needles} is not passed on: the proxy
     * answers it {@code <tag> taggedText} (e.g. a STATUS of one folder refused with a server error); once.
     */
    public void refuseFirst(String taggedText, String... needles) {
        refuse.set(new Object[] {taggedText, needles});
    }

    /**
     * The first line from the server that contains {@code from} reaches the client with {@code to} in its place
     * (e.g. a message's {@code RFC822.SIZE 300002} understated as {@code RFC822.SIZE 299000}); once.
     */
    public void rewriteFirst(String from, String to) {
        rewrite.set(new String[] {from, to});
    }

    public int rewritten() {
        return rewrittenCount.get();
    }

    /**
     * A body FETCH as the proxy received it: the client connection it came on (numbered from 1 in the
     * order they were accepted), whether the proxy answered it with the throttle text instead of passing
     * it on, and what the {@link #probeEachBodyFetch probe} said when it arrived.
     */
    public record BodyFetch(int connection, boolean throttled, String probe) {}

    /**
     * {@code probe} is asked on the proxy's thread as each body FETCH arrives, before it is passed on or
     * throttled; its answer is kept in {@link #bodyFetchLog()} (e.g. the state of the sync's server gate).
     */
    /**
     * Adds {@code capability} (e.g. {@code APPENDLIMIT=100000}, RFC 7889) to every capability list the server
     * announces, before and after login; the server itself does not change (Dovecot 2.3 has no APPENDLIMIT).
     */
    public void announce(String capability) {
        this.announce = " " + capability;
    }

    public void probeEachBodyFetch(Supplier<String> probe) {
        this.probe = probe;
    }

    /** Every body FETCH received (passed on or throttled), in the order they arrived. */
    public List<BodyFetch> bodyFetchLog() {
        return List.copyOf(bodyFetchLog);
    }

    public int cuts() {
        return cuts.get();
    }

    public int throttled() {
        return throttled.get();
    }

    /** Body FETCH commands that reached the server. */
    public int bodyFetches() {
        return bodyFetches.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(host, port), 10_000);
                sockets.add(client);
                sockets.add(server);
                Connection c = new Connection(client, server, connections.incrementAndGet());
                Thread up = new Thread(c::clientToServer, "imap-proxy-up");
                Thread down = new Thread(c::serverToClient, "imap-proxy-down");
                up.setDaemon(true);
                down.setDaemon(true);
                up.start();
                down.start();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private final class Connection {
        private final Socket client;
        private final Socket server;
        /** Bytes of the current body-FETCH response left before the cut; null: no cut armed on this connection. */
        private volatile Long cutBudget;
        /**
         * The tag of the FETCH whose response the armed cut is for: only its tagged answer disarms the cut. The
         * budget counts every byte sent from the moment the FETCH goes to the server, so with FETCHes pipelined the
         * cut may fall in the tail of the answer before it (an earlier answer's end no longer disarms it).
         */
        private volatile String cutTag;
        /** An untagged line to send before the current body FETCH's tagged response; null: none. */
        private volatile String pendingInterleave;

        /** A cut armed on a slice's own answer: {UID text, BODY[]<origin> text, budget}; null: none waiting. */
        private volatile Object[] cutOnAnswer;

        private int fetches;
        private final int number;

        Connection(Socket client, Socket server, int number) {
            this.client = client;
            this.server = server;
            this.number = number;
        }

        void clientToServer() {
            try (InputStream in = new BufferedInputStream(client.getInputStream(), 65536);
                    OutputStream out = server.getOutputStream()) {
                for (int guard = 0; guard < 100_000_000; guard++) {
                    byte[] line = readLine(in);
                    if (line == null) {
                        return;
                    }
                    Object[] refusal = refuse.get();
                    if (refusal != null
                            && java.util.Arrays.stream((String[]) refusal[1])
                                    .allMatch(n -> contains(line, n.getBytes(StandardCharsets.UTF_8)))
                            && refuse.compareAndSet(refusal, null)) {
                        String tag = new String(line, StandardCharsets.US_ASCII).split(" ", 2)[0];
                        OutputStream back = client.getOutputStream();
                        synchronized (back) {
                            back.write((tag + " " + refusal[0] + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            back.flush();
                        }
                        continue;
                    }
                    if (contains(line, BODY_FETCH)) {
                        fetches++;
                        Object[] spec = throttle.get();
                        String reply =
                                spec != null && ((Integer) spec[0]) == fetches && throttle.compareAndSet(spec, null)
                                        ? (String) spec[1]
                                        : null;
                        bodyFetchLog.add(new BodyFetch(number, reply != null, probe.get()));
                        if (reply != null) {
                            String tag = new String(line, StandardCharsets.US_ASCII).split(" ", 2)[0];
                            OutputStream back = client.getOutputStream();
                            synchronized (back) {
                                back.write((tag + " " + reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                                back.flush();
                            }
                            throttled.incrementAndGet();
                            continue;
                        }
                        bodyFetches.incrementAndGet();
                        String extra = interleave.getAndSet(null);
                        if (extra != null) {
                            pendingInterleave = extra;
                        }
                        long[] cut = cutAfter.get();
                        if (cut != null && cut[0] == fetches && cutAfter.compareAndSet(cut, null)) {
                            String text = new String(line, StandardCharsets.US_ASCII);
                            cutTag = text.split(" ", 2)[0];
                            java.util.regex.Matcher slice = SLICE.matcher(text);
                            if (cut[2] == 0) {
                                cutBudget = cut[1];
                            } else if (slice.find()) {
                                // before the server sees the FETCH, so before its answer can come
                                cutOnAnswer = new Object[] {
                                    "UID " + slice.group(1) + " ", "BODY[]<" + slice.group(2) + ">", cut[1]
                                };
                            } else {
                                throw new IllegalStateException("cutBodyFetchResponseAfter: not a slice: " + text);
                            }
                        }
                    }
                    out.write(line);
                    out.flush();
                    // A client literal ({n} or {n+}) follows its line: pass it through as is.
                    long literal = literalSize(line);
                    if (literal > 0) {
                        copy(in, out, literal);
                    }
                }
            } catch (IOException e) {
                // one side closed: close both
            } finally {
                closeBoth();
            }
        }

        void serverToClient() {
            try (InputStream in = new BufferedInputStream(server.getInputStream(), 65536);
                    OutputStream out = client.getOutputStream()) {
                boolean loggedIn = false;
                for (int guard = 0; guard < 100_000_000; guard++) {
                    byte[] line = readLine(in);
                    if (line == null) {
                        return;
                    }
                    String text = new String(line, StandardCharsets.ISO_8859_1);
                    String extra = pendingInterleave;
                    if (extra != null && text.matches("^[A-Za-z0-9]+ (OK|NO|BAD) .*[\\r\\n]*$")) {
                        pendingInterleave = null;
                        byte[] b = (extra + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                        if (!send(out, b, 0, b.length)) {
                            return;
                        }
                        interleavedCount.incrementAndGet();
                    }
                    if (!loggedIn && (text.startsWith("* OK [CAPABILITY") || text.startsWith("* CAPABILITY"))) {
                        text = text.replace(" STARTTLS", "");
                        line = text.getBytes(StandardCharsets.ISO_8859_1);
                    }
                    String extraCapability = announce;
                    if (!extraCapability.isEmpty() && text.contains("[CAPABILITY ")) {
                        int close = text.indexOf(']', text.indexOf("[CAPABILITY "));
                        text = text.substring(0, close) + extraCapability + text.substring(close);
                        line = text.getBytes(StandardCharsets.ISO_8859_1);
                    } else if (!extraCapability.isEmpty() && text.startsWith("* CAPABILITY ")) {
                        text = text.stripTrailing() + extraCapability + "\r\n";
                        line = text.getBytes(StandardCharsets.ISO_8859_1);
                    }
                    if (text.contains("Logged in")) {
                        loggedIn = true;
                    }
                    String[] swap = rewrite.get();
                    if (swap != null && text.contains(swap[0]) && rewrite.compareAndSet(swap, null)) {
                        text = text.replace(swap[0], swap[1]);
                        line = text.getBytes(StandardCharsets.ISO_8859_1);
                        rewrittenCount.incrementAndGet();
                    }
                    Object[] onAnswer = cutOnAnswer;
                    if (onAnswer != null
                            && text.startsWith("* ")
                            && text.contains((String) onAnswer[1])
                            && (text.contains((String) onAnswer[0]) || !text.contains("UID "))) {
                        cutOnAnswer = null;
                        cutBudget = (Long) onAnswer[2]; // counted from this line on
                    }
                    if (!send(out, line, 0, line.length)) {
                        return;
                    }
                    long literal = literalSize(line);
                    byte[] buf = new byte[8192];
                    while (literal > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, literal));
                        if (n < 0) {
                            return;
                        }
                        if (!send(out, buf, 0, n)) {
                            return;
                        }
                        literal -= n;
                    }
                    String armedTag = cutTag;
                    if (cutBudget != null
                            && armedTag != null
                            && text.startsWith(armedTag + " ")
                            && text.matches("^[A-Za-z0-9]+ (OK|NO|BAD) .*[\\r\\n]*$")) {
                        cutBudget = null; // the armed response ended without reaching the cut
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeBoth();
            }
        }

        /** Writes, or cuts the connection when an armed cut's budget runs out. False: cut. */
        private boolean send(OutputStream out, byte[] b, int off, int len) throws IOException {
            Long budget = cutBudget;
            if (budget != null && len >= budget) {
                synchronized (out) {
                    out.write(b, off, (int) (long) budget);
                    out.flush();
                }
                cuts.incrementAndGet();
                closeBoth();
                return false;
            }
            synchronized (out) {
                out.write(b, off, len);
                out.flush();
            }
            if (budget != null) {
                cutBudget = budget - len;
            }
            return true;
        }

        private void closeBoth() {
            for (Socket s : new Socket[] {client, server}) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /** One line including its CRLF, or null at end of stream. */
    static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        for (int c = in.read(); c >= 0; c = in.read()) {
            b.write(c);
            if (c == '\n') {
                return b.toByteArray();
            }
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    /** n if the line ends with {n} or {n+} (before CRLF), else 0. */
    static long literalSize(byte[] line) {
        int end = line.length;
        while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
            end--;
        }
        if (end < 3 || line[end - 1] != '}') {
            return 0;
        }
        int i = end - 2;
        if (line[i] == '+') {
            i--;
        }
        long n = 0;
        long scale = 1;
        int digits = 0;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            n += (line[i] - '0') * scale;
            scale *= 10;
            digits++;
            i--;
        }
        return digits > 0 && i >= 0 && line[i] == '{' ? n : 0;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("closed inside a literal");
            }
            out.write(buf, 0, r);
            n -= r;
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
