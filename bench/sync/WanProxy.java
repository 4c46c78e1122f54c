import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A WAN in user space for bench/sync/wan.sh: a TCP proxy on 127.0.0.1 in front of each given server that
 * delays every chunk of bytes by a one-way delay (plus a random jitter, order kept) in each direction and,
 * optionally, caps the bandwidth of each server's link (per direction, shared by all its connections).
 * `tc netem` is not available on the bench box, hence this.
 *
 * <pre>
 *   java -Xmx256m bench/sync/WanProxy.java PORTS_FILE MAX_SECONDS HOST:PORT [HOST:PORT...]
 * </pre>
 *
 * Writes one listening port per target (in order) to PORTS_FILE. Reads commands on stdin, one per line:
 * {@code set DELAY_MS JITTER_MS RATE_MBIT} (0 = no cap; applies to connections opened from then on) answers
 * {@code ok}; {@code stats} answers {@code stats CONNECTIONS TURNS BYTES_DOWN BYTES_UP BUSY_MS,...} (the last: each capped link's sending time since the start, per server to it then from it) since the last
 * {@code stats} (a turn: the client sends after the server spoke last, i.e. a round trip the client waited
 * for, unless it had sent ahead); {@code quit} or the end of stdin stops it, and so does MAX_SECONDS.
 *
 * <p>Bounded: at most {@code WINDOW} bytes (default 8 MiB) wait in each direction of each connection; when
 * that is full the proxy stops reading, so the sender's TCP window closes (as a real path's window would).
 * The bytes in flight per connection are thus at most WINDOW, i.e. at most WINDOW / delay per connection.
 */
public final class WanProxy {
    private static final int WINDOW = Integer.getInteger("window", 8 << 20);
    private static final int CHUNK = 64 << 10;

    private static volatile Settings settings = new Settings(0, 0, 0);
    private static final AtomicLong connections = new AtomicLong();
    private static final AtomicLong turns = new AtomicLong();
    private static final AtomicLong down = new AtomicLong();
    private static final AtomicLong up = new AtomicLong();
    private static final AtomicLong IDS = new AtomicLong();
    /** -Dtrace=FILE: one line per turn (ms since start, connection, the first bytes the client sent). */
    private static final java.io.PrintStream TRACE = trace();
    private static final long T0 = System.nanoTime();

    private static java.io.PrintStream trace() {
        String f = System.getProperty("trace");
        try {
            return f == null ? null : new java.io.PrintStream(new java.io.FileOutputStream(f, true), true, "US-ASCII");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Settings(long delayNanos, long jitterNanos, long bitsPerSecond) {}

    /** One direction of one server's link: when it is free again (bandwidth cap). */
    static final class Link {
        private long freeAt;
        private long busyNanos; // time the link has been (or is booked to be) sending, since the start

        /** With a trace: the link's sending time per {@link #BUCKET_NANOS} since T0 (for the timeline). */
        private final java.util.Map<Long, Long> buckets = new java.util.HashMap<>();

        synchronized long depart(long now, int bytes, long bitsPerSecond) {
            if (bitsPerSecond <= 0) {
                return now;
            }
            long start = Math.max(now, freeAt);
            long busy = bytes * 8L * 1_000_000_000L / bitsPerSecond;
            busyNanos += busy;
            freeAt = start + busy;
            if (TRACE != null) {
                for (long t = start; t < freeAt; ) {
                    long b = (t - T0) / BUCKET_NANOS;
                    long end = Math.min(freeAt, T0 + (b + 1) * BUCKET_NANOS);
                    buckets.merge(b, end - t, Long::sum);
                    t = end;
                }
            }
            return freeAt;
        }

        /** Percent of bucket {@code b} the link was sending, and forgets it. */
        synchronized long takePercent(long b) {
            Long n = buckets.remove(b);
            return n == null ? 0 : n * 100 / BUCKET_NANOS;
        }

        synchronized long busyMillis() {
            return busyNanos / 1_000_000;
        }
    }

    /** Every capped link, in the order of the servers: to the server, then to the client (for "stats"). */
    private static final List<Link> LINKS = new java.util.concurrent.CopyOnWriteArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: WanProxy PORTS_FILE MAX_SECONDS HOST:PORT [HOST:PORT...]");
            System.exit(2);
        }
        long deadline = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        List<String> ports = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] hp = args[i].split(":");
            InetSocketAddress target = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
            ServerSocket listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
            ports.add(Integer.toString(listener.getLocalPort()));
            Link toServer = new Link();
            Link toClient = new Link();
            LINKS.add(toServer);
            LINKS.add(toClient);
            Thread t = new Thread(() -> accept(listener, target, toServer, toClient), "accept-" + target);
            t.setDaemon(true);
            t.start();
        }
        Files.write(Path.of(args[0]), ports);
        Thread watchdog = new Thread(() -> {
            while (System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000_000L);
            }
            System.err.println("WanProxy: MAX_SECONDS reached, stopping");
            System.exit(3);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "set" -> {
                    settings = new Settings(
                            (long) (Double.parseDouble(w[1]) * 1_000_000L),
                            (long) (Double.parseDouble(w[2]) * 1_000_000L),
                            (long) (Double.parseDouble(w[3]) * 1_000_000L));
                    System.out.println("ok");
                }
                case "stats" -> {
                    timeline();
                    System.out.println("stats " + connections.getAndSet(0) + " " + turns.getAndSet(0) + " "
                            + down.getAndSet(0) + " " + up.getAndSet(0) + " "
                            + LINKS.stream().map(l -> Long.toString(l.busyMillis())).collect(Collectors.joining(",")));
                }
                case "quit" -> System.exit(0);
                default -> System.out.println("error unknown command: " + line);
            }
            System.out.flush();
        }
        System.exit(0);
    }

    private static final long BUCKET_NANOS = 100_000_000L;
    private static long timelineFrom;

    /**
     * With a trace and a cap: one line per 100 ms since the last stats, {@code LINKS ms p0 p1 ...}, each capped
     * link's busy percent in the order of "stats" (per server: to it, then from it). Where a link idles while
     * the other is busy is where a copy loses time against the wire time.
     */
    private static void timeline() {
        if (TRACE == null || settings.bitsPerSecond() <= 0) {
            return;
        }
        long now = (System.nanoTime() - T0) / BUCKET_NANOS;
        for (long b = timelineFrom; b < now; b++) {
            StringBuilder line = new StringBuilder("LINKS " + b * BUCKET_NANOS / 1_000_000);
            for (Link l : LINKS) {
                line.append(' ').append(l.takePercent(b));
            }
            TRACE.println(line);
        }
        timelineFrom = now;
    }

    private static void accept(ServerSocket listener, InetSocketAddress target, Link toServer, Link toClient) {
        while (true) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                try {
                    server.connect(target, 10_000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                connections.incrementAndGet();
                Settings s = settings;
                Conn c = new Conn(client, server);
                new Pipe(c, client, server, toServer, s, true).start();
                new Pipe(c, server, client, toClient, s, false).start();
            } catch (IOException e) {
                System.err.println("WanProxy: accept failed: " + e);
                return;
            }
        }
    }

    /** Both sockets of one proxied connection, and which side spoke last (for counting turns). */
    static final class Conn {
        final Socket a;
        final Socket b;
        volatile boolean serverSpokeLast = true; // the server's greeting comes first
        final long id = IDS.incrementAndGet();

        Conn(Socket a, Socket b) {
            this.a = a;
            this.b = b;
        }

        void close() {
            try {
                a.close();
            } catch (IOException ignored) {
                // closing
            }
            try {
                b.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** One direction of one connection: a reader that stamps chunks with their due time, a writer that waits. */
    static final class Pipe {
        private record Chunk(byte[] bytes, int length, long due) {}

        private final Conn conn;
        private final Socket from;
        private final Socket to;
        private final Link link;
        private final Settings s;
        private final boolean clientToServer;
        private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
        private int queued;
        private boolean eof;
        private long lastDue;

        Pipe(Conn conn, Socket from, Socket to, Link link, Settings s, boolean clientToServer) {
            this.conn = conn;
            this.from = from;
            this.to = to;
            this.link = link;
            this.s = s;
            this.clientToServer = clientToServer;
        }

        void start() {
            Thread r = new Thread(this::read, "read");
            Thread w = new Thread(this::write, "write");
            r.setDaemon(true);
            w.setDaemon(true);
            r.start();
            w.start();
        }

        private void read() {
            try (InputStream in = from.getInputStream()) {
                while (true) {
                    byte[] b = new byte[CHUNK];
                    int n = in.read(b);
                    if (n < 0) {
                        break;
                    }
                    if (clientToServer) {
                        if (conn.serverSpokeLast) {
                            turns.incrementAndGet();
                            if (TRACE != null) {
                                String head = new String(b, 0, Math.min(n, 60), StandardCharsets.ISO_8859_1)
                                        .replaceAll("[\\r\\n].*", "");
                                TRACE.println((System.nanoTime() - T0) / 1_000_000 + " " + to.getPort() + "/" + conn.id
                                        + " " + n + " " + (head.contains(" ") ? head.replaceAll("(LOGIN|AUTHENTICATE) .*", "$1 ...") : "(continuation)"));
                            }
                            conn.serverSpokeLast = false;
                        }
                        up.addAndGet(n);
                    } else {
                        conn.serverSpokeLast = true;
                        down.addAndGet(n);
                    }
                    long now = System.nanoTime();
                    long due = link.depart(now, n, s.bitsPerSecond()) + s.delayNanos();
                    if (s.jitterNanos() > 0) {
                        due += ThreadLocalRandom.current().nextLong(s.jitterNanos() + 1);
                    }
                    synchronized (this) {
                        while (queued + n > WINDOW && queued > 0) {
                            wait();
                        }
                        due = Math.max(due, lastDue); // jitter never reorders bytes
                        lastDue = due;
                        queue.add(new Chunk(b, n, due));
                        queued += n;
                        notifyAll();
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the connection is gone: the writer closes both sides when its queue is empty
            }
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }

        private void write() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c;
                    synchronized (this) {
                        while (queue.isEmpty() && !eof) {
                            wait();
                        }
                        if (queue.isEmpty()) {
                            break;
                        }
                        c = queue.peek();
                    }
                    for (long wait = c.due() - System.nanoTime(); wait > 0; wait = c.due() - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    out.write(c.bytes(), 0, c.length());
                    synchronized (this) {
                        queue.poll();
                        queued -= c.length();
                        notifyAll();
                    }
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                conn.close();
                synchronized (this) { // a reader waiting for room must not wait forever
                    queue.clear();
                    queued = 0;
                    notifyAll();
                }
                return;
            }
            if (!clientToServer) {
                conn.close(); // the server closed: nothing more comes either way
            }
        }
    }
}
