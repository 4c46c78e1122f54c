package io.mxcutover.sync.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately small IMAP client for tests, independent of Angus and of the code under test:
 * seeds servers by APPEND and reads them back (bytes, flags, dates) to check a copy.
 */
public final class RawImapClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    @SuppressWarnings("ArrayRecordComponent") // a test value, compared with Arrays.equals where it matters
    public record Fetched(long uid, Set<String> flags, String internalDate, byte[] body) {}

    public RawImapClient(String host, int port, String user, String password) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        readLine();
        String r = command("LOGIN " + quote(user) + " " + quote(password));
        if (!r.contains(" OK ")) {
            throw new IOException("login failed for " + user + ": " + r);
        }
    }

    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Runs a command; returns all response text (literals inlined as text). */
    public String command(String cmd) throws IOException {
        String t = "T" + (++tag);
        out.write((t + " " + cmd + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readUntilTagged(t, null);
    }

    public String append(String folder, String flags, String date, byte[] message) throws IOException {
        String t = "T" + (++tag);
        String head = t + " APPEND " + quote(folder) + (flags == null ? "" : " (" + flags + ")")
                + (date == null ? "" : " " + quote(date)) + " {" + message.length + "+}\r\n";
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.write(message);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String r = readUntilTagged(t, null);
        if (!r.contains(t + " OK")) {
            throw new IOException("APPEND to " + folder + " failed: " + r);
        }
        return r;
    }

    public void create(String folder) throws IOException {
        String r = command("CREATE " + quote(folder));
        if (!r.contains(" OK ") && !r.contains("ALREADYEXISTS")) {
            throw new IOException("CREATE " + folder + " failed: " + r);
        }
    }

    private static final Pattern META = Pattern.compile("UID (\\d+)|FLAGS \\(([^)]*)\\)|INTERNALDATE \"([^\"]+)\"");

    /** Every message of a folder with its bytes (EXAMINE + BODY.PEEK: changes nothing). */
    public List<Fetched> fetchAll(String folder) throws IOException {
        String r = command("EXAMINE " + quote(folder));
        if (!r.contains(" OK ")) {
            throw new IOException("EXAMINE " + folder + " failed: " + r);
        }
        String t = "T" + (++tag);
        out.write((t + " UID FETCH 1:* (UID FLAGS INTERNALDATE BODY.PEEK[])\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<Fetched> result = new ArrayList<>();
        readUntilTagged(t, result);
        return result;
    }

    private String readUntilTagged(String t, List<Fetched> fetched) throws IOException {
        StringBuilder all = new StringBuilder();
        for (int guard = 0; guard < 10_000_000; guard++) {
            String line = readLine();
            StringBuilder meta = new StringBuilder(line);
            byte[] literal = null;
            while (line.endsWith("}") && line.lastIndexOf('{') >= 0) {
                int n = Integer.parseInt(line.substring(line.lastIndexOf('{') + 1, line.length() - 1)
                        .replace("+", ""));
                byte[] lit = in.readNBytes(n);
                if (literal == null) {
                    literal = lit;
                } else {
                    meta.append(new String(lit, StandardCharsets.ISO_8859_1));
                }
                line = readLine();
                meta.append(line);
            }
            if (fetched != null
                    && line.length() > 0
                    && meta.toString().startsWith("* ")
                    && meta.toString().contains(" FETCH ")) {
                Matcher m = META.matcher(meta);
                long uid = 0;
                Set<String> flags = new TreeSet<>();
                String date = null;
                while (m.find()) {
                    if (m.group(1) != null) {
                        uid = Long.parseLong(m.group(1));
                    } else if (m.group(2) != null) {
                        for (String f : m.group(2).trim().split(" +")) {
                            if (!f.isEmpty() && !f.equalsIgnoreCase("\\Recent")) {
                                flags.add(f);
                            }
                        }
                    } else {
                        date = m.group(3);
                    }
                }
                fetched.add(new Fetched(uid, flags, date, literal == null ? new byte[0] : literal));
            } else {
                all.append(meta).append('\n');
            }
            if (meta.toString().startsWith(t + " ")) {
                return all.toString();
            }
        }
        throw new IOException("no tagged response for " + t);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c < 0 && b.size() == 0) {
            throw new IOException("connection closed by server");
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try {
            command("LOGOUT");
        } catch (IOException ignored) {
            // closing anyway
        }
        socket.close();
    }
}
