package io.mxcutover.appliance.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.e2e.ApplianceNodes.Node;
import io.mxcutover.appliance.e2e.MailClient.Found;
import io.mxcutover.it.ImapServer;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The mailboxes of the multi-node tests on the real Dovecot pair: users made on both servers at once, history
 * appended on legacy (INBOX and Archive), the import into a node, the byte-exact comparison of legacy and new, and
 * the counts on new read from its Maildirs (no IMAP connection: the connection counts stay the nodes' own).
 */
final class ClusterMail {
    private final TestServers servers;
    /** Every seeded mailbox: login -> folder (new's name) -> SHA-256 of each message, as appended on legacy. */
    private final Map<String, Map<String, List<String>>> seeded = new ConcurrentHashMap<>();

    ClusterMail(TestServers servers) {
        this.servers = servers;
    }

    /** {@code n} new users {@code <prefix><i>} on legacy and new (one passwd-file append each). */
    List<TestUser> users(String prefix, int n) {
        Map<String, String> logins = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            logins.put(prefix + i, prefix + i + "-pw");
        }
        List<TestUser> users = servers.legacyImap().createUsers(logins);
        servers.newImap().createUsers(logins);
        return users;
    }

    /** {@code inbox} messages in INBOX and {@code archive} in Archive, appended on legacy in one session. */
    void seed(TestUser u, int inbox, int archive) throws IOException {
        Map<String, List<String>> folders = new TreeMap<>();
        List<byte[]> messages = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (int i = 0; i < inbox + archive; i++) {
            String folder = i < inbox ? "INBOX" : "Archive";
            byte[] m = MailClient.message(
                    "<cl." + i + "." + u.login() + "@e2e.test>",
                    "history@elsewhere.example",
                    u.address(),
                    "history " + i,
                    "message " + i + " of " + u.login() + "\r\n" + "x".repeat(200 * (i % 7)));
            messages.add(m);
            where.add(folder.equals("INBOX") ? "INBOX" : "INBOX.Archive");
            folders.computeIfAbsent(folder, k -> new ArrayList<>()).add(MailClient.sha256(m));
        }
        appendAll(servers.legacyImap(), u, where, messages);
        folders.values().forEach(l -> l.sort(null));
        seeded.put(u.login(), folders);
    }

    int legacyCount(String login) {
        return seeded.get(login).values().stream().mapToInt(List::size).sum();
    }

    int legacyCount(List<TestUser> users) {
        return users.stream().mapToInt(u -> legacyCount(u.login())).sum();
    }

    static String login(String address) {
        return address.substring(0, address.indexOf('@'));
    }

    static Set<String> addresses(List<TestUser> users) {
        Set<String> out = new HashSet<>();
        users.forEach(u -> out.add(u.address()));
        return out;
    }

    /** POST /api/v1/mailboxes on the node: the CSV of the users (same login and password on both sides). */
    static void importMailboxes(Node node, List<TestUser> users) throws Exception {
        StringBuilder csv = new StringBuilder("address,legacy_login,legacy_password,new_login,new_password\n");
        for (TestUser u : users) {
            csv.append(String.join(",", u.address(), u.login(), u.password(), u.login(), u.password()))
                    .append('\n');
        }
        HttpResponse<String> r = node.api("POST", "/v1/mailboxes", csv.toString(), "text/csv");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Every folder's messages on new are legacy's, byte for byte (a multiset of SHA-256: nothing twice). */
    void assertByteExact(List<TestUser> users) throws Exception {
        for (TestUser u : users) {
            Map<String, List<String>> legacy = byFolder(MailClient.all(servers.legacyImap(), u), "INBOX.");
            Map<String, List<String>> target = byFolder(MailClient.all(servers.newImap(), u), "");
            assertThat(legacy).as("legacy of %s as seeded", u.login()).isEqualTo(seeded.get(u.login()));
            assertThat(target).as("new of %s", u.login()).isEqualTo(legacy);
        }
    }

    private static Map<String, List<String>> byFolder(List<Found> found, String prefix) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Found f : found) {
            String folder = f.folder().startsWith(prefix) ? f.folder().substring(prefix.length()) : f.folder();
            out.computeIfAbsent(folder, k -> new ArrayList<>()).add(MailClient.sha256(f.raw()));
        }
        out.values().forEach(l -> l.sort(null));
        return out;
    }

    /** Messages in the user's Maildir on new (INBOX and Archive), each counted once across new/ and cur/. */
    int onNew(String login) {
        Path maildir = servers.newImap().mailRoot().resolve(login).resolve("Maildir");
        return names(maildir) + names(maildir.resolve("Archive"));
    }

    int onNew(List<TestUser> users) {
        return users.stream().mapToInt(u -> onNew(u.login())).sum();
    }

    /** The folder's messages by their base name (a file moved from new/ to cur/ between the listings is one). */
    private static int names(Path folder) {
        Set<String> names = new HashSet<>();
        for (String sub : List.of("new", "cur")) {
            try (Stream<Path> files = Files.list(folder.resolve(sub))) {
                files.forEach(f -> {
                    String n = f.getFileName().toString();
                    int colon = n.indexOf(':');
                    names.add(colon < 0 ? n : n.substring(0, colon));
                });
            } catch (IOException e) {
                // not made yet: nothing copied there
            }
        }
        return names.size();
    }

    /** IMAP APPENDs of the exact bytes (every other one \Seen), one session. */
    private static void appendAll(ImapServer server, TestUser user, List<String> folders, List<byte[]> messages)
            throws IOException {
        try (Socket s = new Socket(server.host(), server.port())) {
            s.setSoTimeout(30_000);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            in.readLine();
            command(out, in, "a LOGIN " + user.login() + " " + user.password(), null);
            for (int i = 0; i < messages.size(); i++) {
                byte[] m = messages.get(i);
                command(
                        out,
                        in,
                        "m" + i + " APPEND \"" + folders.get(i) + "\" (" + (i % 2 == 0 ? "\\Seen" : "") + ") {"
                                + m.length + "+}",
                        m);
            }
            command(out, in, "z LOGOUT", null);
        }
    }

    private static void command(OutputStream out, BufferedReader in, String line, byte[] literal) throws IOException {
        String tag = line.substring(0, line.indexOf(' '));
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        if (literal != null) {
            out.write(literal);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        for (String r = in.readLine(); ; r = in.readLine()) {
            if (r == null) {
                throw new IOException("IMAP connection closed waiting for " + tag);
            }
            if (r.startsWith(tag + " ")) {
                if (!r.startsWith(tag + " OK")) {
                    throw new IOException("IMAP " + line + ": " + r);
                }
                return;
            }
        }
    }

    /** Starts a {@link Sampler} of these users' mailboxes. */
    Sampler sample(List<TestUser> users) {
        return new Sampler(users);
    }

    /**
     * Samples, every 25 ms, the established connections to the legacy and new IMAP ports (the server sides' lines in
     * {@code /proc/net/tcp}: one per client connection, whichever node opened it; the test opens none while it
     * samples), and every 100 ms each mailbox's message count on new against legacy's.
     */
    final class Sampler implements AutoCloseable {
        final List<TestUser> users;
        final AtomicInteger maxLegacy = new AtomicInteger();
        final AtomicInteger maxNew = new AtomicInteger();
        final AtomicInteger samples = new AtomicInteger();
        /** Mailboxes seen with more messages on new than on legacy: login -> the most seen. */
        final Map<String, Integer> above = new ConcurrentHashMap<>();

        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-e2e-sampler");
            t.setDaemon(true);
            return t;
        });
        private final String legacyPort;
        private final String newPort;

        Sampler(List<TestUser> users) {
            this.users = List.copyOf(users);
            this.legacyPort =
                    String.format(Locale.ROOT, ":%04X", servers.legacyImap().port());
            this.newPort = String.format(Locale.ROOT, ":%04X", servers.newImap().port());
            var unused = timer.scheduleAtFixedRate(this::sample, 0, 25, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            try {
                int legacy = 0;
                int target = 0;
                for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[3].equals("01")) { // ESTABLISHED; the server side's local port
                        if (f[1].endsWith(legacyPort)) {
                            legacy++;
                        } else if (f[1].endsWith(newPort)) {
                            target++;
                        }
                    }
                }
                maxLegacy.accumulateAndGet(legacy, Math::max);
                maxNew.accumulateAndGet(target, Math::max);
                if (samples.getAndIncrement() % 4 == 0) {
                    for (TestUser u : users) {
                        int n = onNew(u.login());
                        if (n > legacyCount(u.login())) {
                            above.merge(u.login(), n, Math::max);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("sampler: " + e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
