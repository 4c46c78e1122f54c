package io.mxcutover.relay.testing;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.relay.Relay;
import io.mxcutover.relay.RelaySettings;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seeded, bounded fuzz run of hostile SMTP sessions against a relay: malformed and unknown
 * commands, huge lines, NUL and 8-bit bytes, pipelining abuse (whole transactions and BDAT with
 * wrong sizes in one write), sessions half-closed at a random byte, and TLS handshake garbage
 * (after STARTTLS, and a bare ClientHello on the plain port). Every case ends with a half-close;
 * the relay must answer every line with a proper reply ({@code [2-5]xx}), never show its insides
 * (no Java exception text), and close the session. Messages it acknowledges are recorded, so the
 * caller can check that they reach the target.
 *
 * <p>The same seed gives the same cases. {@code RelayFuzzTest} runs a short run;
 * {@code bench/relay/fuzz.sh} runs {@code main} with many more cases.
 */
public final class SmtpFuzz {

    // DOTALL: a reply's text may hold any byte but CR LF (see judge: 8-bit text is counted, not failed)
    static final Pattern REPLY = Pattern.compile("^[2-5][0-9][0-9]([ -].*)?$", Pattern.DOTALL);
    static final Pattern QUEUED = Pattern.compile("^250 2\\.0\\.0 Ok: queued as ([0-9A-Z]+)");
    static final String[] VERBS = {
        "EHLO",
        "HELO",
        "MAIL FROM:",
        "RCPT TO:",
        "DATA",
        "BDAT",
        "RSET",
        "NOOP",
        "QUIT",
        "VRFY",
        "EXPN",
        "HELP",
        "STARTTLS",
        "AUTH PLAIN",
        "XCLIENT",
        "ETRN",
        "TURN",
        "BDAT 10 LAST",
        "MAIL FROM:<>",
        "RCPT TO:<bob@example.test>"
    };

    /** What a run saw. {@code violations} must be empty; {@code queued} are acknowledged queue ids. */
    public record Result(
            int cases, Map<String, Integer> replyClasses, List<String> violations, List<String> queued, long millis) {
        @Override
        public String toString() {
            return String.format(
                    "cases=%d replies=%s violations=%d acknowledged=%d seconds=%.1f",
                    cases, replyClasses, violations.size(), queued.size(), millis / 1000.0);
        }
    }

    private final InetSocketAddress address;
    private final Random random;
    private final Map<String, Integer> classes = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> queued = new ArrayList<>();

    private SmtpFuzz(InetSocketAddress address, long seed) {
        this.address = address;
        this.random = new Random(seed);
    }

    /** Runs {@code cases} hostile sessions against {@code address}, one after the other. */
    public static Result run(InetSocketAddress address, long seed, int cases) {
        SmtpFuzz f = new SmtpFuzz(address, seed);
        long t0 = System.nanoTime();
        for (int i = 0; i < cases; i++) {
            int kind = f.random.nextInt(10);
            byte[] input = f.input(kind);
            // half-close after a random prefix now and then: a client that vanishes mid-command
            int cut = f.random.nextInt(8) == 0 ? f.random.nextInt(input.length + 1) : input.length;
            f.session(i, kind, input, cut);
        }
        return new Result(
                cases,
                Collections.unmodifiableMap(f.classes),
                List.copyOf(f.violations),
                List.copyOf(f.queued),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private byte[] input(int kind) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        switch (kind) {
            case 0 -> { // random commands with random arguments
                for (int n = 1 + random.nextInt(6); n > 0; n--) {
                    write(b, VERBS[random.nextInt(VERBS.length)] + junk(random.nextInt(80)) + "\r\n");
                }
            }
            case 1 -> { // a huge line, then a command
                write(b, "EHLO " + "a".repeat(1000 + random.nextInt(150_000)) + "\r\nNOOP\r\n");
            }
            case 2 -> { // NUL bytes inside commands and addresses
                write(b, "EHLO fuzz\0.test\r\nMAIL FROM:<a\0b@example.org>\r\nRCPT TO:<bob\0@example.test>\r\n");
            }
            case 3 -> { // 8-bit bytes, invalid UTF-8, bare CR and LF in commands
                write(b, "EHLO fuzz.test\r\n");
                byte[] raw = new byte[1 + random.nextInt(300)];
                random.nextBytes(raw);
                b.writeBytes(raw);
                write(b, "\r\nMAIL FROM:<\u00e9l\u00e8ve@example.org>\r\nRCPT TO:<bob@example.test>\rNOOP\n\r\n");
            }
            case 4 -> { // pipelining abuse: a whole transaction and more in one write
                write(
                        b,
                        "EHLO fuzz.test\r\nMAIL FROM:<p@example.org>\r\nRCPT TO:<bob@example.test>\r\n"
                                + "RCPT TO:<x@elsewhere.test>\r\nDATA\r\n" + body()
                                + "\r\n.\r\nMAIL FROM:<q@example.org>\r\n"
                                + "RCPT TO:<bob@example.test>\r\nDATA\r\nDATA\r\nRSET\r\nDATA\r\n.\r\nQUIT\r\nNOOP\r\n");
            }
            case 5 -> { // BDAT with sizes that lie
                int declared = random.nextInt(200);
                write(
                        b,
                        "EHLO fuzz.test\r\nMAIL FROM:<b@example.org>\r\nRCPT TO:<bob@example.test>\r\nBDAT " + declared
                                + (random.nextBoolean() ? " LAST" : "") + "\r\n" + junk(random.nextInt(300))
                                + "\r\nBDAT -1\r\nBDAT 99999999999999999999 LAST\r\nBDAT x\r\n");
            }
            case 6 -> { // STARTTLS, then handshake garbage (or a ClientHello cut short)
                write(b, "EHLO fuzz.test\r\nSTARTTLS\r\n");
                byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
                if (random.nextBoolean()) {
                    b.writeBytes(hello);
                }
                byte[] garbage = new byte[random.nextInt(600)];
                random.nextBytes(garbage);
                b.writeBytes(garbage);
            }
            case 7 -> { // a TLS ClientHello on the plain port, no STARTTLS
                b.writeBytes(new byte[] {0x16, 0x03, 0x03, 0x00, (byte) 0xa0, 0x01, 0x00, 0x00, (byte) 0x9c});
                byte[] garbage = new byte[160];
                random.nextBytes(garbage);
                b.writeBytes(garbage);
            }
            case 8 -> { // a message with smuggling-style line ends and dots
                write(b, "EHLO fuzz.test\r\nMAIL FROM:<s@example.org>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n");
                write(b, body());
                String[] ends = {"\r\n.\r\n", "\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r", "\r\n..\r\n.\r\n"};
                write(b, ends[random.nextInt(ends.length)] + "QUIT\r\n");
            }
            default -> { // too many recipients, invalid and foreign addresses
                write(b, "EHLO fuzz.test\r\nMAIL FROM:<r@example.org> SIZE=" + random.nextLong() + "\r\n");
                for (int n = random.nextInt(40); n > 0; n--) {
                    String[] rcpt = {
                        "<bob@example.test>",
                        "<a%b@example.test>",
                        "<@relay.test:bob@example.test>",
                        "<bob@evil.test>",
                        "<\"q u\"@example.test>",
                        "bob@example.test",
                        "<>",
                        "<" + "l".repeat(300) + "@example.test>"
                    };
                    write(b, "RCPT TO:" + rcpt[random.nextInt(rcpt.length)] + "\r\n");
                }
            }
        }
        return b.toByteArray();
    }

    private String body() {
        StringBuilder sb = new StringBuilder("Subject: fuzz\r\n\r\n");
        for (int n = random.nextInt(20); n > 0; n--) {
            sb.append(junk(random.nextInt(120))).append(random.nextInt(5) == 0 ? "\n" : "\r\n");
        }
        return sb.toString();
    }

    /** Printable and control characters, some 8-bit, never CR or LF. */
    private String junk(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int c = random.nextInt(10) == 0 ? random.nextInt(32) : 32 + random.nextInt(224);
            sb.append(c == '\r' || c == '\n' ? ' ' : (char) c);
        }
        return sb.toString();
    }

    private static void write(ByteArrayOutputStream b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private void session(int i, int kind, byte[] input, int cut) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                out.write(input, 0, cut);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the relay closed first (421, too many errors, TLS failure): what it said is read below
            }
            List<String> lines = readAll(in);
            if (lines == null) {
                violations.add("case " + i + " (kind " + kind + "): the relay did not close the session");
                return;
            }
            judge(i, kind, lines);
        } catch (IOException e) {
            violations.add("case " + i + " (kind " + kind + "): cannot connect: " + e);
        }
    }

    /** Lines until EOF (a reset counts as EOF); null when the relay keeps the session open. */
    private static List<String> readAll(InputStream in) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            // connection reset: the relay dropped us, which is an answer
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\r\n", -1)) {
            if (!l.isEmpty()) {
                lines.add(l);
            }
        }
        return lines;
    }

    private void judge(int i, int kind, List<String> lines) {
        for (String line : lines) {
            if (!REPLY.matcher(line).matches()) {
                violations.add("case " + i + " (kind " + kind + "): not an SMTP reply: " + abbreviate(line));
                return;
            }
            classes.merge(line.charAt(0) + "xx", 1, Integer::sum);
            if (line.chars().anyMatch(c -> c > 126 || (c < 32 && c != '\t'))) {
                // RFC 5321 4.2 wants printable US-ASCII text; SubEthaSMTP's HELP and BDAT errors quote the
                // client's bytes back. Counted and reported, not a failure: the code is right, the line whole.
                classes.merge("non-ASCII text", 1, Integer::sum);
            }
            if (line.contains("Exception") || line.contains("java.")) {
                violations.add("case " + i + " (kind " + kind + "): reply shows internals: " + abbreviate(line));
            }
            Matcher q = QUEUED.matcher(line);
            if (q.find()) {
                queued.add(q.group(1));
            }
            if (line.startsWith("220 ")
                    && line.toLowerCase(java.util.Locale.ROOT).contains("tls")) {
                return; // after "Ready to start TLS" the relay speaks TLS records, not lines
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /**
     * {@code java -cp <relay test class path> io.mxcutover.relay.testing.SmtpFuzz [cases=20000]
     * [seed=1]}: starts a relay (STARTTLS on, spool in a temp directory) with a recording target,
     * runs the cases, then checks that the relay still takes a clean message and that every
     * message it acknowledged during the run reached the target. Prints the figures; exits 1 on any
     * violation.
     */
    public static void main(String[] args) throws Exception {
        int cases = 20_000;
        long seed = 1;
        for (String a : args) {
            if (a.startsWith("cases=")) {
                cases = Integer.parseInt(a.substring(6));
            } else if (a.startsWith("seed=")) {
                seed = Long.parseLong(a.substring(5));
            }
        }
        Path dir = Files.createTempDirectory("smtp-fuzz-");
        try (FakeTarget target = new FakeTarget();
                Relay relay = relay(dir, target)) {
            Result r = run(relay.listenAddress(), seed, cases);
            List<String> problems = new ArrayList<>(r.violations());
            problems.addAll(afterRun(relay, target, r, Duration.ofSeconds(120)));
            System.out.println("smtp fuzz: seed=" + seed + " " + r);
            problems.stream().limit(20).forEach(p -> System.out.println("smtp fuzz: " + p));
            System.out.println("smtp fuzz: " + (problems.isEmpty() ? "PASS" : "FAIL (" + problems.size() + ")"));
            System.exit(problems.isEmpty() ? 0 : 1);
        }
    }

    /** A relay for a fuzz run: STARTTLS with a fresh certificate, the spool under {@code dir}. */
    public static Relay relay(Path dir, FakeTarget target) throws Exception {
        Path keystore = TestCertificates.keystore(dir, "fuzz", "mx.fuzz.test");
        RoutingTable table =
                RoutingTable.of(DomainRoute.relaying("example.test", List.of(NextHop.of(target.hostPort())), List.of())
                        .withSoftBounce(false));
        Relay relay = new Relay(
                RelaySettings.builder(dir.resolve("spool"))
                        .listen("127.0.0.1", 0)
                        .hostname("mx.fuzz.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(2)
                        .maxRecipients(20)
                        .maxConnectionsPerClient(1000)
                        .idleTimeout(Duration.ofSeconds(5))
                        .tls(keystore, TestCertificates.PASSWORD)
                        .retry(new RetrySchedule(
                                Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofDays(5), Duration.ofHours(4)))
                        .clientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                        .build(),
                () -> table,
                Clock.systemUTC(),
                new MetricRegistry());
        relay.start();
        return relay;
    }

    /**
     * After a run: the relay still takes a clean message, every message it acknowledged reaches
     * the target, and nothing acknowledged was set aside as corrupt. Returns the problems found.
     */
    public static List<String> afterRun(Relay relay, FakeTarget target, Result r, Duration wait) throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> expected = new ArrayList<>(r.queued());
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220 ");
            s.send("EHLO after.fuzz").expect("^250 ");
            s.send("MAIL FROM:<after@example.org>").expect("^250");
            s.send("RCPT TO:<bob@example.test>").expect("^250");
            s.send("DATA").expect("^354");
            s.sendRaw("Subject: after the fuzz\r\n\r\nstill here\r\n.\r\n");
            String reply = s.expect("^250 2.0.0 Ok: queued as ");
            expected.add(reply.substring(reply.lastIndexOf(' ') + 1));
        } catch (IOException | AssertionError e) {
            problems.add("the relay does not take a clean message after the run: " + e.getMessage());
        }
        try {
            org.awaitility.Awaitility.await()
                    .atMost(wait)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> missing(target, expected).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            problems.add("acknowledged but not delivered: " + missing(target, expected));
        }
        return problems;
    }

    private static List<String> missing(FakeTarget target, List<String> ids) {
        StringBuilder all = new StringBuilder();
        for (FakeTarget.Received m : target.messages()) {
            String t = m.text();
            all.append(t, 0, Math.min(400, t.length())).append('\n');
        }
        String received = all.toString();
        return ids.stream().filter(id -> !received.contains(" id " + id)).toList();
    }
}
