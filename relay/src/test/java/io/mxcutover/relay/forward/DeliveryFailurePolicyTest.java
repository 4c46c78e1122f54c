package io.mxcutover.relay.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.relay.forward.DeliveryFailurePolicy.Scope;
import io.mxcutover.relay.smtp.SmtpReply;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryFailurePolicyTest {

    @ParameterizedTest(name = "{0} {1} softBounce={2} -> {3}")
    @CsvSource(textBlock = """
            250, RECIPIENT, false, Delivered, false
            250, MESSAGE,   true,  Delivered, false
            251, RECIPIENT, false, Delivered, false
            421, SESSION,   false, Deferred,  false
            450, RECIPIENT, false, Deferred,  false
            451, MESSAGE,   false, Deferred,  false
            452, RECIPIENT, false, Deferred,  false
            452, MESSAGE,   true,  Deferred,  false
            550, RECIPIENT, false, Rejected,  false
            550, RECIPIENT, true,  Deferred,  true
            551, RECIPIENT, false, Rejected,  false
            552, RECIPIENT, false, Deferred,  false
            552, RECIPIENT, true,  Deferred,  false
            552, MESSAGE,   false, Rejected,  false
            553, RECIPIENT, false, Rejected,  false
            554, MESSAGE,   false, Rejected,  false
            554, MESSAGE,   true,  Deferred,  true
            554, SESSION,   false, Rejected,  false
            500, SESSION,   true,  Deferred,  true
            """)
    void classifyShouldMapReplyToOutcome(int code, Scope scope, boolean softBounce, String kind, boolean alert) {
        Outcome o = DeliveryFailurePolicy.classify(SmtpReply.of(code, "", "text"), scope, "t:25", softBounce);
        assertThat(o.getClass().getSimpleName()).isEqualTo(kind);
        if (o instanceof Outcome.Deferred d) {
            assertThat(d.alert()).isEqualTo(alert);
            assertThat(d.reply()).isPresent();
        }
    }

    @Test
    void classifyShouldDeferEveryFailureWithoutReply() {
        for (Throwable t : new Throwable[] {
            new ConnectException("refused"),
            new SocketTimeoutException("read"),
            new UnknownHostException("x"),
            new SSLHandshakeException("bad"),
            new IOException("eof"),
            new MessagingException("wrapped", new ConnectException("refused")),
            new IllegalStateException("?")
        }) {
            assertThat(DeliveryFailurePolicy.classify(t, "t:25")).isInstanceOf(Outcome.Deferred.class);
        }
        assertThat(DeliveryFailurePolicy.classify(
                                new MessagingException("x", new ConnectException("Connection refused")), "t:25")
                        .summary())
                .contains("cannot connect to t:25");
    }

    @ParameterizedTest
    @CsvSource({
        "SESSION, 421, true",
        "SESSION, 554, true",
        "MESSAGE, 451, false",
        "RECIPIENT, 550, false",
        "SESSION, 250, false"
    })
    void tryNextTargetShouldBeTrueForSessionTroubleOnly(Scope scope, int code, boolean next) {
        assertThat(DeliveryFailurePolicy.tryNextTarget(scope, Optional.of(SmtpReply.of(code, "", "x"))))
                .isEqualTo(next);
        assertThat(DeliveryFailurePolicy.tryNextTarget(scope, Optional.empty())).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"false, Rejected, false", "true, Deferred, true"})
    void withoutSmtpUtf8ShouldBePermanent567AndSoftBouncedLikeAnyPermanentFailure(
            boolean softBounce, String kind, boolean alert) {
        Outcome o = DeliveryFailurePolicy.withoutSmtpUtf8("legacy:25", softBounce);
        assertThat(o.getClass().getSimpleName()).isEqualTo(kind);
        SmtpReply reply = o instanceof Outcome.Rejected r
                ? r.reply()
                : ((Outcome.Deferred) o).reply().orElseThrow();
        assertThat(reply.code() + " " + reply.enhanced()).isEqualTo("553 5.6.7");
        assertThat(o.summary()).contains("legacy:25", "SMTPUTF8");
        if (o instanceof Outcome.Deferred d) {
            assertThat(d.alert()).isEqualTo(alert);
        }
    }
}
