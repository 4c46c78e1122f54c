package io.mxcutover.relay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A load of {@code messages} messages from several clients into a relay running in a child JVM
 * ({@link RelayProcessMain}), killed with SIGKILL {@code kills} times at moments drawn from a seeded
 * random generator (after a random number of acknowledged messages), and restarted on the same
 * spool each time. At each kill it counts the messages in flight: still in the spool although the
 * target already has them (the only ones a restart may deliver twice). At the end: every
 * acknowledged message must be at the target.
 *
 * <p>{@code RelayKillCampaignIT} runs a short campaign; {@code bench/relay/kill-campaign.sh} runs
 * {@code main} with 20 kills and 10,000 messages and prints the figures.
 */
public final class KillCampaign {

    static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <([^>]+)>");

    /** What to run. */
    public record Settings(Path dir, int kills, int messages, int clients, int workers, long seed) {}

    /** What happened. {@code inFlightAtKills} bounds {@code duplicates}. */
    public record Result(
            int kills,
            int acknowledged,
            int attempted,
            int delivered,
            int lost,
            int duplicates,
            int inFlightAtKills,
            int corruptAcknowledged,
            long millis) {
        @Override
        public String toString() {
            return String.format(
                    "kills=%d acknowledged=%d attempted=%d delivered=%d lost=%d duplicates=%d inFlightAtKills=%d"
                            + " corruptAcknowledged=%d seconds=%.1f",
                    kills,
                    acknowledged,
                    attempted,
                    delivered,
                    lost,
                    duplicates,
                    inFlightAtKills,
                    corruptAcknowledged,
                    millis / 1000.0);
        }
    }

    private final Settings settings;
    private final FakeTarget target = new FakeTarget();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger attempted = new AtomicInteger();
    private final AtomicReference<InetSocketAddress> relay = new AtomicReference<>();
    private final AtomicReference<CountDownLatch> relayUp = new AtomicReference<>(new CountDownLatch(1));
    private final AtomicBoolean stop = new AtomicBoolean();

    private KillCampaign(Settings settings) {
        this.settings = settings;
    }

    public static Result run(Settings settings) throws Exception {
        KillCampaign c = new KillCampaign(settings);
        try {
            return c.run();
        } finally {
            c.target.close();
        }
    }

    private Result run() throws Exception {
        long t0 = System.nanoTime();
        Random random = new Random(settings.seed());
        TreeSet<Integer> killAt = new TreeSet<>();
        while (killAt.size() < settings.kills()) {
            killAt.add(settings.messages() / 20 + random.nextInt(settings.messages() * 9 / 10));
        }
        ExecutorService clients = Executors.newFixedThreadPool(settings.clients());
        for (int c = 0; c < settings.clients(); c++) {
            int client = c;
            var unused = clients.submit(() -> {
                clientLoop(client);
                return null;
            });
        }
        int inFlight = 0;
        int kills = 0;
        for (int at : killAt) {
            Process p = start();
            await(() -> acked.size() >= at || !p.isAlive(), 600);
            p.destroyForcibly(); // SIGKILL: no shutdown hook runs
            p.waitFor(60, TimeUnit.SECONDS);
            kills++;
            down();
            inFlight += inFlight();
        }
        Process last = start();
        try {
            await(() -> acked.size() >= settings.messages(), 600);
            stop.set(true);
            clients.shutdown();
            clients.awaitTermination(60, TimeUnit.SECONDS);
            await(() -> delivered().keySet().containsAll(acked), 600);
        } finally {
            last.destroy();
            last.waitFor(60, TimeUnit.SECONDS);
        }
        Map<String, Integer> counts = delivered();
        Set<String> lost = new HashSet<>(acked);
        lost.removeAll(counts.keySet());
        int duplicates = counts.values().stream().mapToInt(n -> n - 1).sum();
        return new Result(
                kills,
                acked.size(),
                attempted.get(),
                counts.size(),
                lost.size(),
                duplicates,
                inFlight,
                corruptAcknowledged(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private Process start() throws Exception {
        Path portFile = settings.dir().resolve("port");
        Files.deleteIfExists(portFile);
        Path log = settings.dir().resolve("relay.log");
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                RelayProcessMain.class.getName(),
                settings.dir().resolve("spool").toString(),
                target.hostPort(),
                portFile.toString(),
                "workers=" + settings.workers());
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        await(() -> Files.exists(portFile) || !p.isAlive(), 120);
        if (!p.isAlive()) {
            throw new IllegalStateException("relay child did not start; see " + log);
        }
        int port = Integer.parseInt(Files.readString(portFile).strip());
        relay.set(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        relayUp.get().countDown();
        return p;
    }

    private void down() {
        relay.set(null);
        relayUp.set(new CountDownLatch(1));
    }

    private void clientLoop(int client) throws InterruptedException {
        int n = 0;
        while (!stop.get() && acked.size() < settings.messages()) {
            InetSocketAddress address = relay.get();
            if (address == null) {
                relayUp.get().await(1, TimeUnit.SECONDS);
                continue;
            }
            String id = "c" + client + "-" + (++n) + "@campaign.test";
            attempted.incrementAndGet();
            try (SmtpScript s = SmtpScript.connect(address)) {
                s.expect("^220");
                s.send("EHLO load.test").expect("^250 ");
                s.send("MAIL FROM:<load@sender.test>").expect("^250");
                s.send("RCPT TO:<bob@example.test>").expect("^250");
                s.send("DATA").expect("^354");
                s.sendRaw("Message-ID: <" + id + ">\r\nSubject: campaign " + id + "\r\n\r\n" + "x".repeat(2000)
                        + "\r\n.\r\n");
                String reply = s.readReply();
                if (reply != null && reply.startsWith("250")) {
                    acked.add(id);
                }
            } catch (IOException | AssertionError e) {
                // the relay died during the session: not acknowledged, the client moves on
                relayUp.get().await(1, TimeUnit.SECONDS);
            }
        }
    }

    Map<String, Integer> delivered() {
        Map<String, Integer> counts = new HashMap<>();
        for (FakeTarget.Received r : target.messages()) {
            Matcher m = MESSAGE_ID.matcher(r.text());
            if (m.find()) {
                counts.merge(m.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Messages still in the spool of the dead relay that the target already has. */
    private int inFlight() throws IOException {
        Set<String> received = delivered().keySet();
        int n = 0;
        for (String state : List.of("incoming", "active", "deferred")) {
            for (Path f : files(settings.dir().resolve("spool").resolve(state))) {
                if (!f.getFileName().toString().endsWith(".tmp")) {
                    String id = messageId(f);
                    if (id != null && received.contains(id)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Set-aside files that are not partial receptions (.tmp): acknowledged mail the relay gave up on. */
    private int corruptAcknowledged() throws IOException {
        int n = 0;
        for (Path f : files(settings.dir().resolve("spool").resolve("corrupt"))) {
            String name = f.getFileName().toString();
            if (!name.contains(".tmp") && !name.endsWith(".why") && !name.endsWith(".status")) {
                n++;
            }
        }
        return n;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static String messageId(Path f) throws IOException {
        byte[] head = new byte[64 * 1024];
        int len;
        try (InputStream in = Files.newInputStream(f)) {
            len = in.readNBytes(head, 0, head.length);
        }
        Matcher m = MESSAGE_ID.matcher(new String(head, 0, len, StandardCharsets.ISO_8859_1));
        return m.find() ? m.group(1) : null;
    }

    /** Waits for a condition, checking every 20 ms, failing after {@code seconds}. */
    private static void await(java.util.concurrent.Callable<Boolean> condition, int seconds) throws Exception {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(seconds))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(condition);
    }

    /**
     * {@code java -cp <relay test class path> io.mxcutover.relay.testing.KillCampaign [kills=20]
     * [messages=10000] [clients=8] [workers=4] [seed=1] [dir=<new temp dir>]}; prints one line of
     * figures and exits 1 when an acknowledged message was lost or duplicates exceed the in-flight
     * count.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a =
                new HashMap<>(Map.of("kills", "20", "messages", "10000", "clients", "8", "workers", "4", "seed", "1"));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path dir = a.containsKey("dir") ? Path.of(a.get("dir")) : Files.createTempDirectory("kill-campaign-");
        Files.createDirectories(dir);
        Settings s = new Settings(
                dir,
                Integer.parseInt(a.get("kills")),
                Integer.parseInt(a.get("messages")),
                Integer.parseInt(a.get("clients")),
                Integer.parseInt(a.get("workers")),
                Long.parseLong(a.get("seed")));
        System.out.println("kill campaign: " + s);
        Result r = run(s);
        System.out.println("kill campaign: " + r);
        boolean ok = r.lost() == 0 && r.duplicates() <= r.inFlightAtKills() && r.corruptAcknowledged() == 0;
        System.out.println("kill campaign: " + (ok ? "PASS" : "FAIL"));
        System.exit(ok ? 0 : 1);
    }
}
