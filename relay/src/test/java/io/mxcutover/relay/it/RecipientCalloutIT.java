package io.mxcutover.relay.it;

import com.codahale.metrics.MetricRegistry;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.relay.Relay;
import io.mxcutover.relay.RelaySettings;
import io.mxcutover.relay.route.DomainRoute;
import io.mxcutover.relay.route.NextHop;
import io.mxcutover.relay.route.RoutingTable;
import io.mxcutover.relay.testing.SmtpScript;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RCPT callout against the real legacy Postfix. That Postfix accepts every local part of
 * example.test at RCPT (it has no recipient map; Dovecot refuses unknown users later, over
 * LMTP), so its definite "no" is the one it gives for a domain it does not serve:
 * {@code 554 5.7.1 Relay access denied}. The plan routing other.test to it is exactly the
 * misconfiguration a callout should catch before the relay takes mail it cannot deliver.
 */
@ExtendWith(RealServers.class)
class RecipientCalloutIT {

    @TempDir
    Path spool;

    Relay relay;
    NextHop postfix;
    NextHop nowhere;
    final AtomicReference<RoutingTable> table = new AtomicReference<>();

    @BeforeEach
    void start(TestServers servers) throws Exception {
        postfix = NextHop.of(
                servers.legacySmtp().host() + ":" + servers.legacySmtp().port());
        try (ServerSocket s = new ServerSocket(0)) {
            nowhere = NextHop.of("127.0.0.1:" + s.getLocalPort()); // nothing listens there after close
        }
        table.set(routes(postfix));
        relay = new Relay(
                RelaySettings.builder(spool)
                        .listen("127.0.0.1", 0)
                        .hostname("mx.relay.test")
                        .minFreeSpace(0)
                        .deliveryWorkers(1)
                        .recipientCallout(true)
                        .clientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30))
                        .build(),
                table::get,
                Clock.systemUTC(),
                new MetricRegistry());
        relay.start();
    }

    @AfterEach
    void stop() {
        relay.stop();
    }

    /** example.test (served by Postfix) and other.test (refused by Postfix) via {@code hop}; down.test unreachable. */
    RoutingTable routes(NextHop hop) {
        return RoutingTable.of(
                new DomainRoute("example.test", false, false, List.of(hop), List.of(), Optional.empty(), false),
                new DomainRoute("other.test", false, false, List.of(hop), List.of(), Optional.empty(), false),
                new DomainRoute("down.test", false, false, List.of(nowhere), List.of(), Optional.empty(), false));
    }

    SmtpScript transaction() throws Exception {
        SmtpScript s = SmtpScript.connect(relay.listenAddress());
        s.expect("^220");
        s.send("EHLO client.example").expect("^250 ");
        s.send("MAIL FROM:<sender@client.example>").expect("^250");
        return s;
    }

    @Test
    void calloutShouldAcceptWhatPostfixAcceptsAndRefuseWhatItRefusesPermanently() throws Exception {
        try (SmtpScript s = transaction()) {
            s.send("RCPT TO:<alice@example.test>").expect("^250");
            // Postfix: 554 5.7.1 relay access denied -> a definite no
            s.send("RCPT TO:<bob@other.test>").expect("^550 5.1.1 <bob@other.test>: Recipient address rejected");
            // Postfix takes any local part of its own domain at RCPT: the callout can only say yes
            s.send("RCPT TO:<ghost@example.test>").expect("^250");
            s.send("QUIT").expect("^221");
        }
    }

    @Test
    void calloutShouldAnswer450WhenTargetIsUnreachable() throws Exception {
        try (SmtpScript s = transaction()) {
            s.send("RCPT TO:<alice@down.test>")
                    .expect("^450 4.1.1 <alice@down.test>: Recipient address rejected: "
                            + "unverified address, try again later");
            s.send("RCPT TO:<alice@down.test>").expect("^450 4.1.1"); // not cached: asked again, same answer
            s.send("RCPT TO:<alice@example.test>").expect("^250"); // the session stays usable
        }
    }

    @Test
    void calloutShouldServeCachedAnswersWhenPostfixGoesAway() throws Exception {
        try (SmtpScript s = transaction()) {
            s.send("RCPT TO:<carol@example.test>").expect("^250");
            s.send("RCPT TO:<carol@other.test>").expect("^550 5.1.1");
        }
        table.set(routes(nowhere)); // Postfix unreachable from now on
        try (SmtpScript s = transaction()) {
            s.send("RCPT TO:<carol@example.test>").expect("^250"); // positive answer cached
            s.send("RCPT TO:<carol@other.test>").expect("^550 5.1.1"); // negative answer cached
            s.send("RCPT TO:<bob@example.test>").expect("^450 4.1.1"); // never asked: cannot tell now
        }
    }
}
