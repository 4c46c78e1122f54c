package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BearerSaslClientTest {
    private static SaslClient client(String mechanism) throws Exception {
        BearerSaslProvider.install();
        return Sasl.createSaslClient(new String[] {mechanism}, null, "imap", "mail.example", Map.of(), callbacks -> {
            for (var c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName("anna@example.org");
                } else if (c instanceof PasswordCallback p) {
                    p.setPassword("ya29.token".toCharArray());
                }
            }
        });
    }

    @Test
    void oauthbearerShouldSendTheRfc7628InitialResponseThenAcknowledgeAnError() throws Exception {
        SaslClient c = client("OAUTHBEARER");
        assertThat(c).isInstanceOf(BearerSaslClient.class);
        assertThat(c.hasInitialResponse()).isTrue();

        assertThat(new String(c.evaluateChallenge(new byte[0]), StandardCharsets.UTF_8))
                .isEqualTo("n,a=anna@example.org,\u0001auth=Bearer ya29.token\u0001\u0001");
        assertThat(c.isComplete()).isFalse();
        byte[] ack = c.evaluateChallenge("{\"status\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(ack).containsExactly(1);
        assertThat(c.isComplete()).isTrue();
    }

    @Test
    void xoauth2ShouldSendUserAndBearerThenAnEmptyAnswerToAnError() throws Exception {
        SaslClient c = client("XOAUTH2");

        assertThat(new String(c.evaluateChallenge(new byte[0]), StandardCharsets.UTF_8))
                .isEqualTo("user=anna@example.org\u0001auth=Bearer ya29.token\u0001\u0001");
        assertThat(c.evaluateChallenge("{\"status\":\"401\"}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"anna@example.org, anna@example.org", "'a,b', a=2Cb", "a=b, a=3Db", "'=,', =3D=2C"})
    void saslNameShouldEscapeCommaAndEquals(String user, String escaped) {
        assertThat(BearerSaslClient.saslName(user)).isEqualTo(escaped);
    }

    @Test
    void toStringShouldNotCarryTheToken() throws Exception {
        SaslClient c = client("OAUTHBEARER");
        c.evaluateChallenge(new byte[0]);
        assertThat(c.toString()).doesNotContain("ya29");
    }
}
