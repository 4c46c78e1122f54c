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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler over a test clock: a message the legacy server keeps deferring gets one delay
 * warning after the delay-warning time and an RFC 3464 bounce with 4.4.7 when the queue lifetime
 * ends (Postfix's {@code delay_warning_time} and {@code maximal_queue_lifetime}). The sender is
 * outside the plan, so both notices go out through the bounce relay, a second target.
 */
class RelayQueueLifetimeTest {

    static final Instant ARRIVAL = Instant.parse("2026-03-01T10:00:00Z");
    static final String MESSAGE = "From: Alice <alice@example.org>\r\nTo: bob@example.test\r\n"
            + "Subject: hello\r\nMessage-ID: <m1@example.org>\r\n\r\nbody\r\n";

    @TempDir
    Path spoolDir;

    MutableClock clock = new MutableClock(ARRIVAL);
    MetricRegistry registry = new MetricRegistry();
    FakeTarget legacy;
    FakeTarget smartHost;
    Relay relay;

    @BeforeEach
    void setUp() throws Exception {
        legacy = new FakeTarget();
        legacy.failData(451);
        smartHost = new FakeTarget();
        RoutingTable table = RoutingTable.of(new DomainRoute(
                "example.test",
                false,
                false,
                List.of(NextHop.of(legacy.hostPort())),
                List.of(),
                Optional.empty(),
                false));
        relay = new Relay(
                RelaySettings.builder(spoolDir)
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(2)
                        .retry(new RetrySchedule(
                                Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5), Duration.ofHours(4)))
                        .bounceRelay(List.of(NextHop.of(smartHost.hostPort())))
                        .clientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                        .build(),
                () -> table,
                clock,
                registry);
        relay.start();
    }

    @AfterEach
    void tearDown() {
        relay.stop();
        legacy.close();
        smartHost.close();
    }

    String send() throws Exception {
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220 ");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<alice@example.org>").expect("^250");
            s.send("RCPT TO:<bob@example.test>").expect("^250");
            s.send("DATA").expect("^354");
            s.sendRaw(MESSAGE + ".\r\n");
            String reply = s.expect("^250 2.0.0 Ok: queued as [0-9A-Z]+");
            s.send("QUIT").expect("^221");
            return reply.substring(reply.lastIndexOf(' ') + 1);
        }
    }

    int attempts(String id) {
        return relay.queue().show(id).map(m -> m.attempts()).orElse(-1);
    }

    @Test
    void relayShouldWarnOnceAfterDelayWarningTimeAndBounceWith447WhenQueueLifetimeEnds() throws Exception {
        String id = send();
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts(id) >= 1);
        assertThat(smartHost.messages()).isEmpty();

        clock.advance(Duration.ofHours(4));
        await().atMost(Duration.ofSeconds(10)).until(() -> smartHost.messages().size() == 1);
        FakeTarget.Received warning = smartHost.messages().get(0);
        assertThat(warning.sender()).isEmpty();
        assertThat(warning.recipients()).containsExactly("alice@example.org");
        assertThat(warning.text())
                .contains(
                        "Subject: Delayed Mail (still being retried)",
                        "multipart/report",
                        "report-type=delivery-status",
                        "X-Mxcutover-Queue-ID: " + id,
                        "Arrival-Date: Sun, 1 Mar 2026 10:00:00 GMT",
                        "Final-Recipient: rfc822; bob@example.test",
                        "Action: delayed",
                        "Status: 4.3.0",
                        "text/rfc822-headers",
                        "Message-ID: <m1@example.org>");
        assertThat(relay.queue().show(id)).isPresent();

        // the next retries warn no more: one message spooled by SMTP, one warning
        int before = attempts(id);
        clock.advance(Duration.ofHours(4));
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts(id) > before);
        assertThat(registry.counter("relay.spooled").getCount()).isEqualTo(2);

        clock.advance(Duration.ofDays(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> smartHost.messages().size() == 2);
        FakeTarget.Received bounce = smartHost.messages().get(1);
        assertThat(bounce.sender()).isEmpty();
        assertThat(bounce.recipients()).containsExactly("alice@example.org");
        assertThat(bounce.text())
                .contains(
                        "Subject: Undelivered Mail Returned to Sender",
                        "multipart/report",
                        "X-Mxcutover-Queue-ID: " + id,
                        "Final-Recipient: rfc822; bob@example.test",
                        "Action: failed",
                        "Status: 4.4.7",
                        "message expired after 120 hours; last problem: deferred:",
                        "Message-ID: <m1@example.org>");
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.queue().list().isEmpty());
        assertThat(spoolDir.resolve("deferred").resolve(id)).doesNotExist();
        assertThat(spoolDir.resolve("status").resolve(id)).doesNotExist();
        assertThat(registry.counter("relay.bounced").getCount()).isEqualTo(1);
        assertThat(legacy.messages()).isEmpty();
    }
}
