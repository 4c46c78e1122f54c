package io.mxcutover.relay.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.it.MutableClock;
import io.mxcutover.relay.intake.RecipientCallout.Result;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.testing.FakeTarget;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The callout's answers and its cache, against a SubEthaSMTP target that counts RCPT probes. */
class RecipientCalloutTest {

    FakeTarget target;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    RecipientCallout callout;
    int closedPort;

    @BeforeEach
    void setUp() throws Exception {
        target = new FakeTarget();
        callout = new RecipientCallout("mx.relay.test", Duration.ofSeconds(5), clock);
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
    }

    @AfterEach
    void tearDown() {
        target.close();
    }

    RoutingTable routes(String... hops) {
        return RoutingTable.of(DomainRoute.relaying(
                "example.test", java.util.Arrays.stream(hops).map(NextHop::of).toList(), List.of()));
    }

    @Test
    void calloutShouldCacheValidRecipientForOneDay() {
        RoutingTable table = routes(target.hostPort());
        MailAddress bob = MailAddress.of("bob@example.test");
        assertThat(callout.verify(bob, table)).isEqualTo(Result.VALID);
        assertThat(callout.verify(MailAddress.of("BOB@example.test"), table)).isEqualTo(Result.VALID);
        assertThat(target.rcptCommands()).isEqualTo(1);
        clock.advance(Duration.ofHours(23));
        assertThat(callout.verify(bob, table)).isEqualTo(Result.VALID);
        assertThat(target.rcptCommands()).isEqualTo(1);
        clock.advance(Duration.ofHours(2));
        assertThat(callout.verify(bob, table)).isEqualTo(Result.VALID);
        assertThat(target.rcptCommands()).isEqualTo(2);
    }

    @Test
    void calloutShouldAnswerUnknownOnlyForPermanentRefusalAndCacheItThreeHours() {
        target.rejectRecipient("nobody@example.test", 550);
        RoutingTable table = routes(target.hostPort());
        MailAddress nobody = MailAddress.of("nobody@example.test");
        assertThat(callout.verify(nobody, table)).isEqualTo(Result.UNKNOWN);
        clock.advance(Duration.ofHours(2));
        assertThat(callout.verify(nobody, table)).isEqualTo(Result.UNKNOWN);
        assertThat(target.rcptCommands()).isEqualTo(1);
        clock.advance(Duration.ofHours(2));
        target.rejectRecipient("nobody@example.test", 451); // the target is unsure now
        assertThat(callout.verify(nobody, table)).isEqualTo(Result.TEMPFAIL);
        assertThat(target.rcptCommands()).isEqualTo(2);
    }

    @Test
    void calloutShouldNotCacheTemporaryFailure() {
        target.rejectRecipient("busy@example.test", 450);
        RoutingTable table = routes(target.hostPort());
        MailAddress busy = MailAddress.of("busy@example.test");
        assertThat(callout.verify(busy, table)).isEqualTo(Result.TEMPFAIL);
        assertThat(callout.verify(busy, table)).isEqualTo(Result.TEMPFAIL);
        assertThat(target.rcptCommands()).isEqualTo(2);
    }

    @Test
    void calloutShouldTempfailWhenTargetUnreachable() {
        RoutingTable table = routes("127.0.0.1:" + closedPort);
        assertThat(callout.verify(MailAddress.of("bob@example.test"), table)).isEqualTo(Result.TEMPFAIL);
    }

    @Test
    void calloutShouldTryNextTargetWhenFirstIsUnreachable() {
        RoutingTable table = routes("127.0.0.1:" + closedPort, target.hostPort());
        assertThat(callout.verify(MailAddress.of("bob@example.test"), table)).isEqualTo(Result.VALID);
        assertThat(target.rcptCommands()).isEqualTo(1);
    }

    @Test
    void calloutShouldAskWithSmtpUtf8ForUtf8AddressAndNeverWithoutIt() {
        MailAddress joerg = MailAddress.of("jörg@example.test");
        assertThat(callout.verify(joerg, routes(target.hostPort()))).isEqualTo(Result.VALID);
        assertThat(target.envelopeCommands())
                .containsExactly("MAIL FROM:<double-bounce@mx.relay.test> SMTPUTF8", "RCPT TO:<jörg@example.test>");
        try (FakeTarget plain = FakeTarget.withoutSmtpUtf8()) {
            RecipientCallout fresh = new RecipientCallout("mx.relay.test", Duration.ofSeconds(5), clock);
            assertThat(fresh.verify(joerg, routes(plain.hostPort()))).isEqualTo(Result.TEMPFAIL);
            assertThat(plain.envelopeCommands()).isEmpty();
        }
    }
}
