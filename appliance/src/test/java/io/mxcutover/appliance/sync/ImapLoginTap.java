package io.mxcutover.appliance.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a real IMAP server that writes down every user name a client presents
 * (LOGIN, AUTHENTICATE PLAIN with or without an initial response, AUTHENTICATE LOGIN). Bytes pass unchanged,
 * except that STARTTLS is taken out of the server's capability lists so that the session stays readable. What it records is what the server behind it received, whether the
 * login then succeeded or not: the measure of where a credential went.
 */
final class ImapLoginTap implements AutoCloseable {
    private final String name;
    private final String upstreamHost;
    private final int upstreamPort;
    private final ServerSocket listener;
    private final List<String> logins = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /** The first lines of each direction, without arguments (no password), for a failing test's message. */
    private final List<String> transcript = new CopyOnWriteArrayList<>();

    ImapLoginTap(String name, String upstreamHost, int upstreamPort) throws IOException {
        this.name = name;
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tap-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Every user name presented so far, in order (one per login attempt). */
    List<String> logins() {
        return List.copyOf(logins);
    }

    List<String> transcript() {
        return List.copyOf(transcript);
    }

    void clear() {
        logins.clear();
    }

    long count(String user) {
        return logins.stream().filter(user::equals).count();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(upstreamHost, upstreamPort);
                open.add(client);
                open.add(server);
                pump("down", server.getInputStream(), client.getOutputStream(), client, server, false);
                pump("up", client.getInputStream(), server.getOutputStream(), client, server, true);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(String direction, InputStream in, OutputStream out, Socket a, Socket b, boolean inspect) {
        Thread t = new Thread(
                () -> {
                    ClientLines lines = new ClientLines();
                    byte[] buf = new byte[8192];
                    try {
                        ByteArrayOutputStream held = new ByteArrayOutputStream();
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            if (inspect) {
                                lines.feed(buf, n);
                                out.write(buf, 0, n);
                            } else {
                                withoutStartTls(buf, n, held, out);
                            }
                            out.flush();
                        }
                    } catch (IOException e) {
                        // connection closed by either side
                    } finally {
                        close(a);
                        close(b);
                    }
                },
                "tap-" + name + "-" + direction);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Server to client: every line passes unchanged except capability lists, which lose STARTTLS, so the
     * client stays in plain text and the tap can read the logins (Dovecot allows plain-text auth here).
     */
    private void withoutStartTls(byte[] buf, int n, ByteArrayOutputStream held, OutputStream out) throws IOException {
        for (int i = 0; i < n; i++) {
            held.write(buf[i]);
            if (buf[i] == '\n' || held.size() > 65536) {
                String line = held.toString(StandardCharsets.ISO_8859_1);
                if (transcript.size() < 300) {
                    transcript.add("S: "
                            + line.substring(0, Math.min(line.length(), 100)).strip());
                }
                if (held.size() < 8192
                        && line.contains("CAPABILITY")
                        && (line.startsWith("* ") || line.contains(" OK ["))) {
                    out.write(line.replace(" STARTTLS", "").getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    held.writeTo(out);
                }
                held.reset();
            }
        }
    }

    /** Splits what the client sends into lines and recognises the login commands. */
    private final class ClientLines {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private String pending = "";

        void feed(byte[] buf, int n) {
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    inspect(line.toString(StandardCharsets.ISO_8859_1).strip());
                    line.reset();
                } else if (line.size() < 4096) {
                    line.write(buf[i]);
                }
            }
        }

        private void inspect(String text) {
            if (!pending.isEmpty()) {
                String step = pending;
                pending = "";
                if (step.equals("PLAIN")) {
                    plain(text);
                } else if (step.equals("LOGIN-USER")) {
                    logins.add(decode(text));
                }
                return;
            }
            String[] t = text.split(" ");
            if (transcript.size() < 300) {
                transcript.add("C: " + t[0] + (t.length > 1 ? " " + t[1] : ""));
            }
            if (t.length < 3) {
                return;
            }
            String command = t[1].toUpperCase(Locale.ROOT);
            if (command.equals("LOGIN")) {
                logins.add(unquote(t[2]));
            } else if (command.equals("AUTHENTICATE")) {
                String mechanism = t[2].toUpperCase(Locale.ROOT);
                if (mechanism.equals("PLAIN") && t.length > 3) {
                    plain(t[3]);
                } else if (mechanism.equals("PLAIN")) {
                    pending = "PLAIN";
                } else if (mechanism.equals("LOGIN") && t.length > 3) {
                    logins.add(decode(t[3]));
                } else if (mechanism.equals("LOGIN")) {
                    pending = "LOGIN-USER";
                } else {
                    logins.add("?" + mechanism);
                }
            }
        }

        private void plain(String base64) {
            String[] parts = decode(base64).split("\0", -1);
            // authzid \0 authcid \0 password: the mailbox is the authzid when a master user logs in for it.
            logins.add(parts.length == 3 && !parts[0].isEmpty() ? parts[0] : parts.length > 1 ? parts[1] : "?");
        }
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "?undecodable";
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : new ArrayList<>(open)) {
            close(s);
        }
    }

    @Override
    public String toString() {
        return "tap " + name + " -> " + upstreamHost + ":" + upstreamPort;
    }
}
