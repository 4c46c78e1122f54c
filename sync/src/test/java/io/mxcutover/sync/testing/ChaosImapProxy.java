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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback proxy in front of a real IMAP server that breaks the server's responses at random,
 * reproducibly: each connection gets, from the seeded generator in the order connections arrive,
 * one fault at one response (counted from the greeting):
 * <ul>
 *   <li>{@link Fault#TRUNCATE}: a random prefix of that response (possibly inside a literal), then
 *       both sockets closed;</li>
 *   <li>{@link Fault#GARBLE}: 1 to 3 bytes of the response's protocol text (tags, status words,
 *       FETCH items, literal lengths; not the bytes inside a literal) replaced by random ones;</li>
 *   <li>{@link Fault#REORDER}: an untagged response held back and sent after the next one;</li>
 *   <li>{@link Fault#STALL}: that response never sent, the connection left open (the client's
 *       timeout must end it).</li>
 * </ul>
 * Client bytes go through unchanged. STARTTLS is removed from what the server announces, so the
 * traffic stays readable. Responses are relayed by IMAP structure (lines and {@code {n}} literals).
 */
public final class ChaosImapProxy implements AutoCloseable {
    public enum Fault {
        TRUNCATE,
        GARBLE,
        REORDER,
        STALL
    }

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}\r?\n$");

    private final String host;
    private final int port;
    private final ServerSocket listener;
    private final Random random;
    private final int maxResponse;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean faulty = true;

    /** {@code maxResponse}: the fault lands on one of the first that many responses of a connection. */
    public ChaosImapProxy(String host, int port, long seed, int maxResponse) throws IOException {
        this.host = host;
        this.port = port;
        this.random = new Random(seed);
        this.maxResponse = maxResponse;
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicLong());
        }
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "chaos-imap-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String uri() {
        return "imap://127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on every connection is relayed faithfully. */
    public void heal() {
        faulty = false;
    }

    /** Faults injected so far, by kind. */
    public Map<Fault, Long> injected() {
        Map<Fault, Long> out = new EnumMap<>(Fault.class);
        injected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public long connections() {
        return connections.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(host, port), 5000);
                sockets.add(client);
                sockets.add(server);
                connections.incrementAndGet();
                Fault fault;
                int at;
                long garbleSeed;
                synchronized (random) {
                    fault = Fault.values()[random.nextInt(Fault.values().length)];
                    at = random.nextInt(maxResponse);
                    garbleSeed = random.nextLong();
                }
                start("chaos-up", () -> pipe(client, server));
                start("chaos-down", () -> relay(server, client, faulty ? fault : null, at, new Random(garbleSeed)));
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void pipe(Socket from, Socket to) {
        try (from;
                to) {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed: close both (try-with-resources)
        }
    }

    private void relay(Socket server, Socket client, Fault fault, int at, Random r) {
        try (server;
                client) {
            InputStream in = new BufferedInputStream(server.getInputStream());
            OutputStream out = client.getOutputStream();
            List<byte[]> held = null;
            for (int n = 0; ; n++) {
                List<byte[]> response = readResponse(in);
                if (response == null) {
                    return;
                }
                if (held != null) {
                    write(out, response);
                    write(out, held);
                    held = null;
                    continue;
                }
                if (fault != null && n == at) {
                    if (fault != Fault.REORDER || response.get(0)[0] == '*') {
                        injected.get(fault).incrementAndGet();
                    }
                    switch (fault) {
                        case TRUNCATE -> {
                            byte[] all = concat(response);
                            out.write(all, 0, r.nextInt(Math.max(1, all.length)));
                            out.flush();
                            return;
                        }
                        case GARBLE -> garble(response, r);
                        case REORDER -> {
                            if (response.get(0)[0] == '*') {
                                held = response;
                                continue;
                            }
                        }
                        case STALL -> {
                            // Swallow everything from here on; the connection stays open until the client gives up.
                            in.transferTo(OutputStream.nullOutputStream());
                            return;
                        }
                    }
                }
                write(out, response);
            }
        } catch (IOException e) {
            // a side closed
        }
    }

    /** One response: its line segments and literals, alternating, the first a line; null at the end. */
    private static List<byte[]> readResponse(InputStream in) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        while (true) {
            byte[] line = readLine(in);
            if (line == null) {
                return parts.isEmpty() ? null : parts;
            }
            String text = new String(line, StandardCharsets.ISO_8859_1);
            if (parts.isEmpty() && text.contains("STARTTLS")) {
                line = text.replace(" STARTTLS", "").getBytes(StandardCharsets.ISO_8859_1);
            }
            parts.add(line);
            Matcher m = LITERAL.matcher(text);
            if (!m.find()) {
                return parts;
            }
            parts.add(in.readNBytes(Integer.parseInt(m.group(1))));
        }
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                break;
            }
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    /** Replaces 1-3 bytes of the line segments (even indexes), never of a literal's content. */
    private static void garble(List<byte[]> response, Random r) {
        byte[] junk = "(){}\"\\ *0123456789ABCxyz\0\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            byte[] line = response.get(2 * r.nextInt((response.size() + 1) / 2));
            line[r.nextInt(line.length)] = junk[r.nextInt(junk.length)];
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        parts.forEach(b::writeBytes);
        return b.toByteArray();
    }

    private static void write(OutputStream out, List<byte[]> parts) throws IOException {
        for (byte[] p : parts) {
            out.write(p);
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
