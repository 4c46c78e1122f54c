package io.mxcutover.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.forward.SmtpForwarder.OutboundTls;
import io.mxcutover.relay.forward.TargetPolicy;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.testing.FakeTarget;
import io.mxcutover.relay.testing.SmtpScript;
import io.mxcutover.relay.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Per-next-hop STARTTLS level and AUTH toward a SubEthaSMTP target that requires STARTTLS and
 * AUTH: delivered with the right credentials, deferred with an alert (and no password anywhere)
 * with the wrong ones, and TLS required for a hop that offers none.
 */
class RelayOutboundPolicyTest {

    static final String SECRET = "s3cret-Pa55word";

    @TempDir
    static Path certs;

    static Path keystore;

    @TempDir
    Path spoolDir;

    FakeTarget target;
    Relay relay;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void makeKeystore() throws Exception {
        keystore = TestCertificates.keystore(certs, "target", "target.test");
    }

    Relay start(FakeTarget hop, TargetPolicy policy) throws Exception {
        target = hop;
        NextHop h = NextHop.of(hop.hostPort());
        RoutingTable table = RoutingTable.of(
                new DomainRoute("example.test", false, false, List.of(h), List.of(), Optional.empty(), false));
        log.start();
        ((Logger) LoggerFactory.getLogger("io.mxcutover")).addAppender(log);
        relay = new Relay(
                RelaySettings.builder(spoolDir)
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(1)
                        .targetPolicy(h, policy)
                        .retry(new RetrySchedule(
                                Duration.ofMillis(200),
                                Duration.ofMillis(400),
                                Duration.ofDays(5),
                                Duration.ofHours(4)))
                        .clientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                        .build(),
                () -> table,
                Clock.systemUTC(),
                new MetricRegistry());
        relay.start();
        return relay;
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger("io.mxcutover")).detachAppender(log);
        if (relay != null) {
            relay.stop();
        }
        if (target != null) {
            target.close();
        }
    }

    String send() throws Exception {
        try (SmtpScript s = SmtpScript.connect(relay.listenAddress())) {
            s.expect("^220");
            s.send("EHLO client.example").expect("^250 ");
            s.send("MAIL FROM:<alice@example.org>").expect("^250");
            s.send("RCPT TO:<bob@example.test>").expect("^250");
            s.send("DATA").expect("^354");
            String reply = s.sendRaw("Subject: auth\r\n\r\nhello\r\n.\r\n").expect("^250 2.0.0 Ok: queued as");
            return reply.substring(reply.lastIndexOf(' ') + 1);
        }
    }

    FakeTarget secureTarget() throws Exception {
        return FakeTarget.requiringTlsAndAuth(TestCertificates.serverContext(keystore), "relay", SECRET);
    }

    @Test
    void relayShouldAuthenticateOverStartTlsWhenTargetPolicyHasCredentials() throws Exception {
        start(secureTarget(), TargetPolicy.authenticated("relay", SECRET));
        send();
        await().atMost(Duration.ofSeconds(10)).until(() -> target.messages().size() == 1);
        assertThat(target.logins()).containsExactly("relay");
        assertThat(target.messages().get(0).text()).endsWith("Subject: auth\r\n\r\nhello\r\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.queue().list().isEmpty());
    }

    @Test
    void relayShouldDeferWithAlertAndNeverShowPasswordWhenAuthIsRefused() throws Exception {
        start(secureTarget(), TargetPolicy.authenticated("relay", "wrong-" + SECRET));
        String id = send();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.queue().show(id).map(m -> m.attempts() >= 1).orElse(false));
        String last = relay.queue().show(id).get().lastReply();
        assertThat(last).contains("SMTP AUTH as relay refused", "relay.targets").doesNotContain(SECRET);
        assertThat(target.messages()).isEmpty();
        // A snapshot: the relay's threads append to the list while this runs (doAppend locks the appender).
        List<ILoggingEvent> events;
        synchronized (log) {
            events = List.copyOf(log.list);
        }
        assertThat(events).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("ADMIN ATTENTION", "AUTH"));
        assertThat(events).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(SECRET));
        assertThat(RelaySettings.builder(spoolDir)
                        .targetPolicy(NextHop.of("a:25"), TargetPolicy.authenticated("u", SECRET))
                        .build()
                        .toString())
                .doesNotContain(SECRET);
    }

    @Test
    void relayShouldDeferWithAlertWhenTlsIsRequiredButTargetOffersNone() throws Exception {
        start(new FakeTarget(), TargetPolicy.of(OutboundTls.REQUIRED));
        String id = send();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.queue().show(id).map(m -> m.attempts() >= 1).orElse(false));
        assertThat(relay.queue().show(id).get().lastReply()).contains("offers no STARTTLS but TLS is required");
        assertThat(target.messages()).isEmpty();
    }

    @Test
    void relayShouldSendInPlaintextWhenTargetPolicyIsOff() throws Exception {
        start(new FakeTarget(), TargetPolicy.of(OutboundTls.OFF));
        send();
        await().atMost(Duration.ofSeconds(10)).until(() -> target.messages().size() == 1);
    }

    @Test
    void policyShouldRefuseCredentialsWithoutTls() {
        assertThatThrownBy(() -> new TargetPolicy(OutboundTls.OFF, Optional.of("relay"), Optional.of(SECRET)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only sent over TLS")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> new TargetPolicy(OutboundTls.REQUIRED, Optional.of("relay"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new TargetPolicy(OutboundTls.OPPORTUNISTIC, Optional.of("relay"), Optional.of(SECRET)).tls())
                .isEqualTo(OutboundTls.REQUIRED);
        assertThat(TargetPolicy.authenticated("relay", SECRET).toString()).doesNotContain(SECRET);
    }
}
