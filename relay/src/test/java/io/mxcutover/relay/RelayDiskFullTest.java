package io.mxcutover.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.spool.SpoolFaults;
import io.mxcutover.relay.testing.FakeTarget;
import io.mxcutover.relay.testing.SmtpScript;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's file system fills up while mail arrives and queued mail waits: senders get 4xx (never
 * 250, never 5xx), nothing acknowledged is lost, and when space returns the relay takes and delivers
 * mail again by itself, without a restart.
 *
 * <p>The spool is a 2 MB tmpfs mounted for this test (CI runs as root) and unmounted at the end;
 * the disk really fills ({@code ENOSPC} from the kernel). Where mounting is not permitted the test
 * says so on stdout and fills the disk through the spool's fault hook instead, which throws the
 * same "No space left on device" at every write.
 */
class RelayDiskFullTest {

    static final Pattern ID = Pattern.compile("Message-ID: <([^>]+)>");

    @TempDir
    Path dir;

    Path spool;
    boolean mounted;
    final AtomicBoolean simulatedFull = new AtomicBoolean();
    FakeTarget legacy = new FakeTarget();
    Relay relay;

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (relay != null) {
                relay.stop();
            }
            legacy.close();
        } finally {
            if (mounted && run("umount", spool.toString()) != 0) {
                run("umount", "-l", spool.toString());
            }
        }
    }

    static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** The reply that ended the transaction: the first 4xx/5xx, or the final reply to DATA. */
    String send(String id) throws IOException {
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220 ");
            s.send("EHLO client.example").expect("^250 ");
            for (String cmd : List.of("MAIL FROM:<alice@example.org>", "RCPT TO:<bob@example.test>", "DATA")) {
                String reply = s.send(cmd).readReply();
                if (reply == null || !(reply.startsWith("2") || reply.startsWith("3"))) {
                    return String.valueOf(reply);
                }
            }
            s.sendRaw("Message-ID: <" + id + ">\r\nSubject: disk full\r\n\r\n" + "y".repeat(3000) + "\r\n.\r\n");
            return String.valueOf(s.readReply());
        }
    }

    /** Fills the spool's file system until the kernel says it is full; returns the filler. */
    Path fill() throws IOException {
        Path filler = spool.resolve("filler");
        if (!mounted) {
            simulatedFull.set(true);
            return filler;
        }
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("No space left");
        }
        return filler;
    }

    Map<String, Integer> delivered() {
        Map<String, Integer> counts = new HashMap<>();
        for (FakeTarget.Received r : legacy.messages()) {
            Matcher m = ID.matcher(r.text());
            if (m.find()) {
                counts.merge(m.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void relayShouldAnswer4xxLoseNothingAndResumeByItselfWhenSpoolDiskIsFull() throws Exception {
        spool = dir.resolve("spool");
        Files.createDirectories(spool);
        mounted = run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", spool.toString()) == 0;
        System.out.println("disk-full test: spool on " + (mounted ? "a real 2 MB tmpfs" : "a simulated full disk"));
        SpoolFaults faults = (step, id) -> {
            if (simulatedFull.get() && step != SpoolFaults.Step.DELETE && step != SpoolFaults.Step.RENAME) {
                throw new IOException("No space left on device");
            }
        };
        RoutingTable table =
                RoutingTable.of(DomainRoute.relaying("example.test", List.of(NextHop.of(legacy.hostPort())), List.of())
                        .withSoftBounce(false));
        relay = new Relay(
                RelaySettings.builder(spool)
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0) // no reserve: the kernel's ENOSPC itself must give the 4xx
                        .deliveryWorkers(2)
                        .retry(new RetrySchedule(
                                Duration.ofMillis(200),
                                Duration.ofMillis(400),
                                Duration.ofDays(5),
                                Duration.ofHours(4)))
                        .clientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                        .build(),
                () -> table,
                Clock.systemUTC(),
                new MetricRegistry(),
                faults);
        relay.start();

        // queued mail that waits while the disk fills: legacy defers it for now
        legacy.failData(451);
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String reply = send("before-" + i + "@full.test");
            assertThat(reply).startsWith("250 ");
            acknowledged.add("before-" + i + "@full.test");
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> relay.queue().list().stream().allMatch(m -> m.attempts() >= 1));

        Path filler = fill();
        List<String> whileFull = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            whileFull.add(send("full-" + i + "@full.test"));
        }
        assertThat(whileFull).allSatisfy(r -> assertThat(r).startsWith("452 4.3.1"));
        legacy.failData(0);

        // space returns: no restart, no admin action
        Files.deleteIfExists(filler);
        simulatedFull.set(false);
        for (int i = 0; i < 10; i++) {
            String reply = send("after-" + i + "@full.test");
            assertThat(reply).startsWith("250 ");
            acknowledged.add("after-" + i + "@full.test");
        }
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> delivered().keySet().containsAll(acknowledged));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<String> missing = new ArrayList<>(acknowledged);
            missing.removeAll(delivered().keySet());
            try (var files = Files.walk(spool)) {
                throw new AssertionError(
                        "not delivered: " + missing + "\nqueue: "
                                + relay.queue().list() + "\nspool: "
                                + files.map(f -> spool.relativize(f) + "").toList(),
                        e);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.queue().list().isEmpty());
        Map<String, Integer> counts = delivered();
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(counts.values()).allMatch(c -> c == 1);
        try (var corrupt = Files.list(spool.resolve("corrupt"))) {
            // only partial receptions (never acknowledged) may have been set aside
            assertThat(corrupt.filter(f -> !f.getFileName().toString().contains(".tmp")))
                    .isEmpty();
        }
        System.out.printf(
                "disk-full test: %d acknowledged, %d refused with 452 while full, %d delivered, 0 lost, 0 duplicated%n",
                acknowledged.size(), whileFull.size(), counts.size());
    }
}
