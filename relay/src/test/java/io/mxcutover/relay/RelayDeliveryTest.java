package io.mxcutover.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.schedule.DeliveryScheduler;
import io.mxcutover.relay.testing.FakeTarget;
import io.mxcutover.relay.testing.SmtpScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class RelayDeliveryTest {

    @TempDir
    Path spoolDir;

    FakeTarget legacy;
    FakeTarget next;
    AtomicReference<RoutingTable> table = new AtomicReference<>();
    MetricRegistry registry = new MetricRegistry();
    Relay relay;

    @BeforeEach
    void setUp() throws Exception {
        legacy = new FakeTarget();
        next = new FakeTarget();
        table.set(RoutingTable.of(route(false, false)));
        relay = new Relay(
                RelaySettings.builder(spoolDir)
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(2)
                        .retry(new RetrySchedule(
                                Duration.ofMillis(200),
                                Duration.ofMillis(400),
                                Duration.ofDays(5),
                                Duration.ofHours(4)))
                        .clientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                        .build(),
                table::get,
                Clock.systemUTC(),
                registry);
        relay.start();
    }

    DomainRoute route(boolean toNew, boolean softBounce) {
        return new DomainRoute(
                "example.test",
                false,
                toNew,
                List.of(NextHop.of(legacy.hostPort())),
                List.of(NextHop.of(next.hostPort())),
                java.util.Optional.empty(),
                softBounce);
    }

    @AfterEach
    void tearDown() {
        relay.stop();
        legacy.close();
        next.close();
    }

    static final String MESSAGE = "From: Alice <alice@example.org>\r\nTo: bob@example.test\r\n"
            + "Subject: hello\r\nMessage-ID: <m1@example.org>\r\nBcc: hidden@example.test\r\n"
            + "Content-Length: 12\r\n\r\nbody line 1\r\n.leading dot\r\nlast\r\n";

    String send(String from, String to, String message) throws Exception {
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220 mx.relay.test ESMTP mxcutover");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<" + from + ">").expect("^250");
            s.send("RCPT TO:<" + to + ">").expect("^250");
            s.send("DATA").expect("^354");
            String stuffed = message.replace("\r\n.", "\r\n..");
            s.sendRaw(stuffed + ".\r\n");
            String reply = s.expect("^250 2.0.0 Ok: queued as [0-9A-Z]+");
            s.send("QUIT").expect("^221");
            return reply.substring(reply.lastIndexOf(' ') + 1);
        }
    }

    @Test
    void relayShouldDeliverBytesUnchangedToLegacyWhenRelaying() throws Exception {
        String id = send("alice@example.org", "bob@example.test", MESSAGE);

        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
        FakeTarget.Received got = legacy.messages().get(0);
        assertThat(got.sender()).isEqualTo("alice@example.org");
        assertThat(got.recipients()).containsExactly("bob@example.test");
        String text = got.text();
        assertThat(text)
                .startsWith(
                        "Received: from client.example ([127.0.0.1])\r\n\tby mx.relay.test (mxcutover) with ESMTP id "
                                + id);
        assertThat(text.substring(text.indexOf("From: Alice"))).isEqualTo(MESSAGE);
        assertThat(next.messages()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.queue().list().isEmpty());
        assertThat(registry.counter("relay.delivered").getCount()).isEqualTo(1);
        assertThat(registry.counter("relay.accepted").getCount()).isEqualTo(1);
    }

    @Test
    void relayShouldDeliverToNewServerWhenDomainIsCutOver() throws Exception {
        table.set(RoutingTable.of(route(true, false)));
        send("alice@example.org", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10)).until(() -> next.messages().size() == 1);
        assertThat(legacy.messages()).isEmpty();
    }

    @Test
    void relayShouldDeliverQueuedMessageToNewServerWhenCutoverHappensWhileDeferred() throws Exception {
        legacy.failData(451);
        String id = send("alice@example.org", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.queue().show(id).map(m -> m.attempts() >= 1).orElse(false));
        table.set(RoutingTable.of(route(true, false)));
        await().atMost(Duration.ofSeconds(10)).until(() -> next.messages().size() == 1);
        assertThat(legacy.messages()).isEmpty();
    }

    @Test
    void relayShouldKeepNullSenderOnTheWire() throws Exception {
        send("", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
        assertThat(legacy.messages().get(0).sender()).isEmpty();
    }

    @Test
    void relayShouldDeliverAfterLegacyComesBackWhenLegacyDeferred() throws Exception {
        legacy.failData(421);
        String id = send("alice@example.org", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.queue().show(id).map(m -> m.attempts() >= 2).orElse(false));
        assertThat(relay.queue().show(id).get().lastReply()).contains("421");
        legacy.failData(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.queue().list().isEmpty());
    }

    @Test
    void relayShouldBounceToSenderWithOriginalHeadersWhenTargetRejectsPermanently() throws Exception {
        legacy.rejectRecipient("bob@example.test", 550);
        send("carol@example.test", "bob@example.test", MESSAGE);
        // the bounce goes to carol@example.test, routed like any mail for the domain
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
        FakeTarget.Received bounce = legacy.messages().get(0);
        assertThat(bounce.sender()).isEmpty();
        assertThat(bounce.recipients()).containsExactly("carol@example.test");
        assertThat(bounce.text())
                .contains(
                        "multipart/report",
                        "report-type=delivery-status",
                        "Final-Recipient: rfc822; bob@example.test",
                        "Action: failed",
                        "Status: 5.1.1",
                        "text/rfc822-headers",
                        "Message-ID: <m1@example.org>");
        assertThat(registry.counter("relay.bounced").getCount()).isEqualTo(1);
    }

    @Test
    void relayShouldNotBounceWhenSenderIsNull() throws Exception {
        legacy.rejectRecipient("bob@example.test", 550);
        String id = send("", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.queue().show(id).isEmpty());
        assertThat(registry.counter("relay.bounced").getCount()).isEqualTo(1);
        assertThat(relay.queue().list()).isEmpty();
        assertThat(legacy.messages()).isEmpty();
    }

    @Test
    void relayShouldDeferWithAlertWhenSoftBounceIsOn() throws Exception {
        table.set(RoutingTable.of(route(false, true)));
        legacy.rejectRecipient("bob@example.test", 550);
        String id = send("carol@example.test", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.queue().show(id).map(m -> m.attempts() >= 1).orElse(false));
        assertThat(relay.queue().show(id).get().lastReply()).contains("soft bounce");
        assertThat(registry.counter("relay.bounced").getCount()).isZero();
    }

    String sendUtf8(String from, String to) throws Exception {
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220 ");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<" + from + "> SMTPUTF8").expect("^250");
            s.send("RCPT TO:<" + to + ">").expect("^250");
            s.send("DATA").expect("^354");
            s.sendRaw("From: " + from + "\r\nTo: " + to + "\r\nSubject: Grüße\r\n\r\nHallo\r\n.\r\n");
            String reply = s.expect("^250 2.0.0 Ok: queued as [0-9A-Z]+");
            return reply.substring(reply.lastIndexOf(' ') + 1);
        }
    }

    @Test
    void relayShouldForwardUtf8AddressesAsUtf8WithSmtpUtf8WhenTargetOffersIt() throws Exception {
        sendUtf8("jörg@example.org", "老板@example.test");
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
        FakeTarget.Received got = legacy.messages().get(0);
        assertThat(got.sender()).isEqualTo("jörg@example.org");
        assertThat(got.recipients()).containsExactly("老板@example.test");
        assertThat(legacy.envelopeCommands())
                .containsExactly("MAIL FROM:<jörg@example.org> SMTPUTF8", "RCPT TO:<老板@example.test>");
        assertThat(got.text()).endsWith("Subject: Grüße\r\n\r\nHallo\r\n");
    }

    @Test
    void relayShouldPassBody8BitMimeOnWhenClientDeclaredIt() throws Exception {
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220 ");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<alice@example.org> BODY=8BITMIME").expect("^250");
            s.send("RCPT TO:<bob@example.test>").expect("^250");
            s.send("DATA").expect("^354");
            s.sendRaw("Subject: Gr\u00fc\u00dfe\r\n\r\nK\u00e4se\r\n.\r\n");
            s.expect("^250 2.0.0");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
        assertThat(legacy.envelopeCommands())
                .containsExactly("MAIL FROM:<alice@example.org> BODY=8BITMIME", "RCPT TO:<bob@example.test>");
        assertThat(legacy.messages().get(0).text()).endsWith("Subject: Grüße\r\n\r\nKäse\r\n");
    }

    @Test
    void relayShouldNotDeclareSmtpUtf8WhenClientDidNot() throws Exception {
        send("alice@example.org", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
        assertThat(legacy.envelopeCommands())
                .containsExactly("MAIL FROM:<alice@example.org>", "RCPT TO:<bob@example.test>");
    }

    @Test
    void relayShouldBounceWith567WhenTargetDoesNotOfferSmtpUtf8() throws Exception {
        try (FakeTarget plain = FakeTarget.withoutSmtpUtf8()) {
            table.set(RoutingTable.of(new DomainRoute(
                    "example.test",
                    false,
                    false,
                    List.of(NextHop.of(plain.hostPort())),
                    List.of(),
                    java.util.Optional.empty(),
                    false)));
            String id = sendUtf8("carol@example.test", "jörg@example.test");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> relay.queue().show(id).isEmpty());
            // nothing of the message reached the target, not even the RCPT in another encoding
            assertThat(plain.envelopeCommands()).noneMatch(l -> l.contains("rg@example.test") && l.contains("RCPT"));
            // the bounce (to an ASCII sender) went through the same target
            await().atMost(Duration.ofSeconds(10)).until(() -> plain.messages().size() == 1);
            FakeTarget.Received bounce = plain.messages().get(0);
            assertThat(bounce.recipients()).containsExactly("carol@example.test");
            assertThat(bounce.text()).contains("Status: 5.6.7", "SMTPUTF8 is required");
            assertThat(registry.counter("relay.bounced").getCount()).isEqualTo(1);
        }
    }

    /**
     * Found by the probe of issue 10: a message whose client declared SMTPUTF8 but whose addresses and
     * headers are all ASCII was deferred (soft bounce) and, after go-live, bounced with 5.6.7 "needs it
     * (UTF-8 address)" by a target without SMTPUTF8. It needs nothing of SMTPUTF8 and is delivered.
     */
    @Test
    void relayShouldDeliverAsciiMessageDeclaredSmtpUtf8ToTargetWithoutIt() throws Exception {
        try (FakeTarget plain = FakeTarget.withoutSmtpUtf8()) {
            table.set(RoutingTable.of(new DomainRoute(
                    "example.test",
                    false,
                    false,
                    List.of(NextHop.of(plain.hostPort())),
                    List.of(),
                    java.util.Optional.empty(),
                    false)));
            try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
                s.expect("^220 ");
                s.send("EHLO client.example").expect("^250 ");
                s.send("MAIL FROM:<carol@example.org> SMTPUTF8").expect("^250");
                s.send("RCPT TO:<bob@example.test>").expect("^250");
                s.send("DATA").expect("^354");
                s.sendRaw("Subject: plain\r\n\r\nK\u00e4se\r\n.\r\n").expect("^250 2.0.0");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> plain.messages().size() == 1);
            assertThat(plain.envelopeCommands())
                    .containsExactly("MAIL FROM:<carol@example.org>", "RCPT TO:<bob@example.test>");
            assertThat(plain.messages().get(0).text()).endsWith("Subject: plain\r\n\r\nKäse\r\n");
            assertThat(registry.counter("relay.bounced").getCount()).isZero();
        }
    }

    @Test
    void relayShouldDeferWithAlertAnd567WhenTargetLacksSmtpUtf8AndSoftBounceIsOn() throws Exception {
        try (FakeTarget plain = FakeTarget.withoutSmtpUtf8()) {
            table.set(RoutingTable.of(new DomainRoute(
                    "example.test",
                    false,
                    false,
                    List.of(NextHop.of(plain.hostPort())),
                    List.of(),
                    java.util.Optional.empty(),
                    true)));
            String id = sendUtf8("carol@example.test", "jörg@example.test");
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            relay.queue().show(id).map(m -> m.attempts() >= 1).orElse(false));
            assertThat(relay.queue().show(id).get().lastReply()).contains("5.6.7", "does not offer SMTPUTF8");
            assertThat(plain.envelopeCommands()).isEmpty();
            assertThat(plain.messages()).isEmpty();
            assertThat(registry.counter("relay.bounced").getCount()).isZero();
        }
    }

    @Test
    void relayShouldRefuseTargetThatIsItself() throws Exception {
        NextHop self = NextHop.of("127.0.0.1:" + relay.listenAddress().getPort());
        table.set(RoutingTable.of(new DomainRoute(
                "example.test", false, false, List.of(self), List.of(), java.util.Optional.empty(), false)));
        String id = send("alice@example.org", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.queue().show(id).map(m -> m.attempts() >= 1).orElse(false));
        assertThat(relay.queue().show(id).get().lastReply()).contains("mail loop");
    }

    @Test
    void queueShouldHoldAndReleaseMessage() throws Exception {
        legacy.failData(451);
        String id = send("alice@example.org", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.queue().show(id).map(m -> m.attempts() >= 1).orElse(false));
        assertThat(relay.queue().hold(id)).isTrue();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> relay.queue().show(id).get().state().equals("hold"));
        assertThat(spoolDir.resolve("hold").resolve(id)).exists();
        legacy.failData(0);
        assertThat(relay.queue().release(id)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
    }

    @Test
    void queueShouldDeleteMessageWithoutDelivery() throws Exception {
        legacy.failData(451);
        String id = send("alice@example.org", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.queue().show(id).map(m -> m.attempts() >= 1).orElse(false));
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.queue().delete(id));
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.queue().show(id).isEmpty());
        assertThat(spoolDir.resolve("deferred").resolve(id)).doesNotExist();
        assertThat(spoolDir.resolve("status").resolve(id)).doesNotExist();
    }

    @Test
    void relayShouldSetMessageAsideWhenItsSpoolFileIsDamaged() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(DeliveryScheduler.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            legacy.failData(451);
            String id = send("alice@example.org", "bob@example.test", MESSAGE);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            relay.queue().show(id).map(m -> m.attempts() >= 1).orElse(false));
            assertThat(relay.queue().hold(id)).isTrue();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> relay.queue().show(id).get().state().equals("hold"));
            Path file = spoolDir.resolve("hold").resolve(id);
            byte[] bytes = Files.readAllBytes(file);
            int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("body line 1");
            bytes[at] = 'B'; // one flipped byte: same length, wrong checksum
            Files.write(file, bytes);
            legacy.failData(0);
            assertThat(relay.queue().release(id)).isTrue();

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.exists(spoolDir.resolve("corrupt").resolve(id)));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> relay.queue().show(id).isEmpty());
            assertThat(spoolDir.resolve("corrupt").resolve(id + ".status")).exists();
            assertThat(legacy.messages()).isEmpty();
            assertThat(registry.counter("relay.corrupt").getCount()).isEqualTo(1);
            assertThat(log.list).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                assertThat(e.getFormattedMessage())
                        .contains(id, "damaged", "NOT delivered", "bob@example.test", "send it again", "corrupt");
            });
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void relayShouldDeliverSpooledMessagesAfterRestart() throws Exception {
        legacy.failData(451);
        String id = send("alice@example.org", "bob@example.test", MESSAGE);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.queue().show(id).map(m -> m.attempts() >= 1).orElse(false));
        relay.stop();
        legacy.failData(0);
        relay = new Relay(
                RelaySettings.builder(spoolDir)
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0)
                        .build(),
                table::get,
                Clock.systemUTC(),
                new MetricRegistry());
        relay.start();
        relay.queue().retryNow(id); // due now anyway if the retry time passed while it was down
        await().atMost(Duration.ofSeconds(10)).until(() -> legacy.messages().size() == 1);
        assertThat(legacy.messages().get(0).text()).contains("Message-ID: <m1@example.org>");
        assertThat(new String(legacy.messages().get(0).data(), StandardCharsets.UTF_8))
                .contains("id " + id);
    }
}
