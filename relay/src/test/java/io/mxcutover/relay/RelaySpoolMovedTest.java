package io.mxcutover.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.it.MutableClock;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.testing.FakeTarget;
import io.mxcutover.relay.testing.SmtpScript;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relays (two nodes behind two MX records of equal preference), each with its own spool. Node 1 dies with mail
 * queued for a server that is down; the operator moves its spool into node 2's (the procedure of docs/scale-out.md:
 * node 2 stopped, the message and status files moved directory by directory, node 2 started). Node 2 delivers both
 * spools' mail once each, to a real SMTP sink; node 1, started again on its now empty spool, delivers nothing.
 */
class RelaySpoolMovedTest {

    static final Pattern SUBJECT = Pattern.compile("Subject: (node\\d-\\d+)");
    /** The queue directories and the per-message delivery status: what the procedure moves. */
    static final List<String> MOVED = List.of("incoming", "active", "deferred", "hold", "status");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    final List<Relay> running = new ArrayList<>();
    FakeTarget target;

    @AfterEach
    void tearDown() {
        running.forEach(Relay::stop);
        if (target != null) {
            target.close();
        }
    }

    Relay node(Path spool, int port) throws Exception {
        RoutingTable table = RoutingTable.of(
                DomainRoute.relaying("example.test", List.of(NextHop.of("127.0.0.1:" + port)), List.of())
                        .withSoftBounce(false));
        Relay relay = new Relay(
                RelaySettings.builder(spool)
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(2)
                        .retry(new RetrySchedule(
                                Duration.ofMinutes(1), Duration.ofMinutes(4), Duration.ofDays(5), Duration.ofHours(4)))
                        .clientTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
                        .build(),
                () -> table,
                clock,
                new MetricRegistry());
        relay.start();
        running.add(relay);
        return relay;
    }

    static void send(Relay relay, String subject) throws Exception {
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220 ");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<alice@example.org>").expect("^250");
            s.send("RCPT TO:<ann@example.test>").expect("^250");
            s.send("RCPT TO:<ben@example.test>").expect("^250");
            s.send("DATA").expect("^354");
            s.sendRaw("Message-ID: <" + subject + "@moved.test>\r\nSubject: " + subject + "\r\n\r\nbody\r\n.\r\n");
            s.expect("^250 2.0.0 Ok: queued as ");
            s.send("QUIT").expect("^221");
        }
    }

    static void stop(Relay relay, List<Relay> running) {
        relay.stop();
        running.remove(relay);
    }

    @Test
    void aDeadNodesSpoolMovedToAnotherNodeShouldBeDeliveredOnce() throws Exception {
        target = new FakeTarget();
        int port = target.port();
        target.close(); // the next hop is down: both nodes queue
        Path spool1 = dir.resolve("node1/spool");
        Path spool2 = dir.resolve("node2/spool");
        Relay node1 = node(spool1, port);
        Relay node2 = node(spool2, port);
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            send(node1, "node1-" + i);
            sent.add("node1-" + i);
        }
        for (int i = 1; i <= 2; i++) {
            send(node2, "node2-" + i);
            sent.add("node2-" + i);
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> node1.queue().list().stream().allMatch(m -> m.attempts() >= 1)
                        && node2.queue().list().stream().allMatch(m -> m.attempts() >= 1));
        assertThat(node1.queue().list()).hasSize(4);

        stop(node1, running); // node 1 dies (its disk survives)
        stop(node2, running); // the procedure: node 2 stopped while its spool takes node 1's files
        int moved = moveSpool(spool1, spool2);
        assertThat(moved).as("4 messages and their status files").isGreaterThanOrEqualTo(4);

        target = FakeTarget.onPort(port); // the next hop is back
        Relay node2Again = node(spool2, port);
        assertThat(node2Again.queue().list()).hasSize(6);
        clock.advance(Duration.ofMinutes(10));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> node2Again.queue().list().isEmpty());

        // Node 1 comes back on its own (now empty) spool: nothing left to deliver there.
        Relay node1Again = node(spool1, port);
        assertThat(node1Again.queue().list()).isEmpty();

        List<String> delivered = new ArrayList<>();
        for (FakeTarget.Received m : target.messages()) {
            Matcher x = SUBJECT.matcher(m.text());
            assertThat(x.find()).isTrue();
            assertThat(m.recipients()).containsExactlyInAnyOrder("ann@example.test", "ben@example.test");
            delivered.add(x.group(1));
        }
        assertThat(delivered).as("every message once, none twice").containsExactlyInAnyOrderElementsOf(sent);
    }

    /** Moves every queued message file and status file of {@code from} into the same directory of {@code to}. */
    static int moveSpool(Path from, Path to) throws IOException {
        int n = 0;
        for (String d : MOVED) {
            Path source = from.resolve(d);
            if (!Files.isDirectory(source)) {
                continue;
            }
            Files.createDirectories(to.resolve(d));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(source)) {
                for (Path f : files) {
                    Path dest = to.resolve(d).resolve(f.getFileName());
                    assertThat(dest).as("queue ids are unique across nodes").doesNotExist();
                    Files.move(f, dest);
                    n++;
                }
            }
        }
        return n;
    }
}
