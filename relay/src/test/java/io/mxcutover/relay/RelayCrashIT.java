package io.mxcutover.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.relay.testing.FakeTarget;
import io.mxcutover.relay.testing.RelayProcessMain;
import io.mxcutover.relay.testing.SmtpScript;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 the relay (a child JVM) while it takes and delivers mail, at several points; restart;
 * every message that got a 250 must arrive at the target, with no more duplicates than messages
 * that were in flight when it died.
 */
class RelayCrashIT {

    static final int WORKERS = 4;
    static final int CLIENTS = 8;
    static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <([^>]+)>");

    @TempDir
    Path dir;

    FakeTarget target = new FakeTarget();
    Process relay;

    @AfterEach
    void tearDown() throws Exception {
        if (relay != null && relay.isAlive()) {
            relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        target.close();
    }

    Process startRelay(String... extra) throws IOException {
        Path portFile = dir.resolve("port");
        Files.deleteIfExists(portFile);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RelayProcessMain.class.getName(),
                dir.resolve("spool").toString(),
                target.hostPort(),
                portFile.toString(),
                "workers=" + WORKERS));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("relay.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(portFile) || !p.isAlive());
        assertThat(p.isAlive())
                .as("relay child started; see " + dir.resolve("relay.log"))
                .isTrue();
        return p;
    }

    int port() throws IOException {
        return Integer.parseInt(Files.readString(dir.resolve("port")).strip());
    }

    /** Sends until the relay dies or {@code max} messages are acknowledged; returns acknowledged ids. */
    Set<String> load(String round, int max, Process p) throws Exception {
        InetSocketAddress address = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port());
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger seq = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            var unused = pool.submit(() -> {
                while (!stop.get() && acked.size() < max && p.isAlive()) {
                    String id = round + "-" + seq.incrementAndGet() + "@crash.test";
                    try (SmtpScript s = SmtpScript.connect(address)) {
                        s.expect("^220");
                        s.send("EHLO load.test").expect("^250 ");
                        s.send("MAIL FROM:<load@sender.test>").expect("^250");
                        s.send("RCPT TO:<bob@example.test>").expect("^250");
                        s.send("DATA").expect("^354");
                        s.sendRaw("Message-ID: <" + id + ">\r\nSubject: crash " + id + "\r\n\r\n" + "x".repeat(2000)
                                + "\r\n.\r\n");
                        String reply = s.readReply();
                        if (reply != null && reply.startsWith("250")) {
                            acked.add(id);
                        }
                    } catch (IOException | AssertionError e) {
                        // the relay died mid-session: not acknowledged
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(120, TimeUnit.SECONDS);
        stop.set(true);
        return acked;
    }

    Map<String, Integer> deliveredCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (FakeTarget.Received r : target.messages()) {
            Matcher m = MESSAGE_ID.matcher(r.text());
            if (m.find()) {
                counts.merge(m.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void relayShouldDeliverEveryAcknowledgedMessageWhenKilledAtSeveralPoints() throws Exception {
        Set<String> acked = ConcurrentHashMap.newKeySet();
        // Deterministic kill points (halt just before the n-th occurrence of a spool step) and
        // two external kill -9 at arbitrary moments under load.
        String[][] rounds = {
            {"haltAt=FORCE:40"},
            {"haltAt=RENAME:55"},
            {"haltAt=DIRECTORY_SYNC:70"},
            {"haltAt=DELETE:30"},
            {"haltAt=WRITE:90"},
            {"kill"},
            {"kill"},
        };
        int kills = 0;
        for (int r = 0; r < rounds.length; r++) {
            boolean external = rounds[r][0].equals("kill");
            relay = external ? startRelay() : startRelay(rounds[r]);
            Process p = relay;
            if (external) {
                int before = target.messages().size();
                Thread killer = new Thread(() -> {
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> target.messages().size() > before + 40);
                    p.destroyForcibly(); // SIGKILL
                });
                killer.start();
                acked.addAll(load("r" + r, 100_000, p));
                killer.join();
            } else {
                acked.addAll(load("r" + r, 100_000, p));
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            kills++;
        }
        assertThat(acked).hasSizeGreaterThan(100);
        // Final run without faults: everything acknowledged must come out.
        relay = startRelay();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> deliveredCounts().keySet().containsAll(acked));
        Map<String, Integer> counts = deliveredCounts();
        int duplicates = counts.values().stream().mapToInt(c -> c - 1).sum();
        // In flight at a kill: a message handed to the target but not yet removed from the spool,
        // at most one per delivery worker.
        assertThat(duplicates).as("duplicates over %d kills", kills).isLessThanOrEqualTo(kills * WORKERS);
        try (var corrupt = Files.list(dir.resolve("spool/corrupt"))) {
            // only never-acknowledged partial receptions may be set aside
            corrupt.filter(f -> !f.getFileName().toString().endsWith(".why"))
                    .forEach(f -> assertThat(f.getFileName().toString()).endsWith(".tmp"));
        }
        System.out.printf(
                "crash test: %d acknowledged, %d delivered ids, %d duplicates, %d kills%n",
                acked.size(), counts.size(), duplicates, kills);
    }
}
