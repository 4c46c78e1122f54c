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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The legacy server is down for ten minutes of the test clock while mail keeps arriving: every
 * message is acknowledged (it is on disk), none is lost, and when legacy comes back each recipient
 * gets its mail once and in the order it arrived.
 */
class RelayOutageTest {

    static final Pattern SEQ = Pattern.compile("Subject: outage (\\d+) to (\\S+)");

    @TempDir
    Path spoolDir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    FakeTarget legacy;
    Relay relay;

    @AfterEach
    void tearDown() {
        if (relay != null) {
            relay.stop();
        }
        if (legacy != null) {
            legacy.close();
        }
    }

    void send(int seq, String rcpt) throws Exception {
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220 ");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<alice@example.org>").expect("^250");
            s.send("RCPT TO:<" + rcpt + ">").expect("^250");
            s.send("DATA").expect("^354");
            s.sendRaw("Message-ID: <" + seq + "@outage.test>\r\nSubject: outage " + seq + " to " + rcpt
                    + "\r\n\r\nbody\r\n.\r\n");
            s.expect("^250 2.0.0 Ok: queued as ");
            s.send("QUIT").expect("^221");
        }
    }

    boolean everyQueuedMessageTried() {
        return relay.queue().list().stream().allMatch(m -> m.attempts() >= 1);
    }

    @Test
    void relayShouldDeliverAllInOrderOfArrivalWhenLegacyReturnsAfterTenMinutes() throws Exception {
        legacy = new FakeTarget();
        int port = legacy.port();
        RoutingTable table = RoutingTable.of(
                DomainRoute.relaying("example.test", List.of(NextHop.of("127.0.0.1:" + port)), List.of())
                        .withSoftBounce(false));
        relay = new Relay(
                RelaySettings.builder(spoolDir)
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(1)
                        .retry(new RetrySchedule(
                                Duration.ofMinutes(1), Duration.ofMinutes(4), Duration.ofDays(5), Duration.ofHours(4)))
                        .clientTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
                        .build(),
                () -> table,
                clock,
                new MetricRegistry());
        relay.start();
        legacy.close(); // legacy goes away: connections to its port are refused

        List<String> recipients = List.of("ann@example.test", "ben@example.test", "cat@example.test");
        Map<String, List<Integer>> sent = new LinkedHashMap<>();
        int seq = 0;
        // ten minutes of the test clock in steps of two: mail arrives, every queued message is tried
        for (int step = 0; step < 5; step++) {
            for (int round = 0; round < 2; round++) {
                for (String r : recipients) {
                    seq++;
                    send(seq, r);
                    sent.computeIfAbsent(r, k -> new ArrayList<>()).add(seq);
                    clock.advance(Duration.ofSeconds(1));
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(this::everyQueuedMessageTried);
            clock.advance(Duration.ofSeconds(114));
        }
        int acknowledged = seq;
        assertThat(relay.queue().list()).hasSize(acknowledged);
        // The last step's clock move made some messages due again: let those attempts (against the closed port) end
        // before legacy returns, or one still in flight would reach it first, ahead of older mail (seen at load 32).
        await().atMost(Duration.ofSeconds(20))
                .until(() -> relay.queue().list().stream()
                        .allMatch(m -> m.nextAttempt().isAfter(clock.instant())
                                && !m.state().equals("active")));

        legacy = FakeTarget.onPort(port); // back, at the same address
        clock.advance(Duration.ofMinutes(10));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> legacy.messages().size() >= acknowledged);
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.queue().list().isEmpty());

        Map<String, List<Integer>> received = new LinkedHashMap<>();
        for (FakeTarget.Received m : legacy.messages()) {
            Matcher x = SEQ.matcher(m.text());
            assertThat(x.find()).isTrue();
            assertThat(m.recipients()).containsExactly(x.group(2));
            received.computeIfAbsent(x.group(2), k -> new ArrayList<>()).add(Integer.parseInt(x.group(1)));
        }
        // nothing lost, nothing twice, and per recipient in the order of arrival
        assertThat(received).isEqualTo(sent);
        System.out.printf(
                "outage test: legacy down 10 min (test clock), %d acknowledged, %d delivered, 0 lost, in order%n",
                acknowledged, legacy.messages().size());
    }
}
