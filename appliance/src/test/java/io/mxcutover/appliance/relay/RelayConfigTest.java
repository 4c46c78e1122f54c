package io.mxcutover.appliance.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.mxcutover.relay.RelaySettings;
import io.mxcutover.relay.forward.SmtpForwarder.OutboundTls;
import io.mxcutover.relay.intake.TlsProvider;
import io.mxcutover.relay.route.NextHop;
import org.junit.jupiter.api.Test;

class RelayConfigTest {

    final ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());

    @Test
    void targetsShouldBecomePerHopPoliciesWithPasswordsMasked() throws Exception {
        RelayConfig c = yaml.readValue("""
                outboundTls: off
                targets:
                  "legacy.example.net:587":
                    username: mx-relay
                    password: pw-never-logged
                  "new.example.net:25":
                    tls: required
                  "[::1]:2525": {}
                """, RelayConfig.class);
        RelaySettings s = c.toSettings();
        assertThat(s.targetPolicies().get(NextHop.of("legacy.example.net:587")).tls())
                .isEqualTo(OutboundTls.REQUIRED);
        assertThat(s.targetPolicies().get(NextHop.of("legacy.example.net:587")).username())
                .contains("mx-relay");
        assertThat(s.targetPolicies().get(NextHop.of("new.example.net:25")).authenticates())
                .isFalse();
        assertThat(s.targetPolicies().get(NextHop.of("new.example.net:25")).tls())
                .isEqualTo(OutboundTls.REQUIRED);
        assertThat(s.targetPolicies().get(NextHop.of("[::1]:2525")).tls()).isEqualTo(OutboundTls.OFF);
        assertThat(s.toString()).doesNotContain("pw-never-logged");
        assertThat(c.targets.toString()).doesNotContain("pw-never-logged");
    }

    /**
     * Dropwizard's YAML reads an unquoted {@code outboundTls: off} as the boolean false, which reaches the
     * string field as "false": the server died at start with "No enum constant ...OutboundTls.FALSE".
     */
    @Test
    void outboundTlsShouldTakeYamlsFalseAsOff() {
        RelayConfig c = new RelayConfig();
        c.outboundTls = "false";
        RelayConfig.TargetConfig t = new RelayConfig.TargetConfig();
        t.tls = "false";
        c.targets.put("legacy.example.net:25", t);
        RelaySettings s = c.toSettings();
        assertThat(s.outboundTls()).isEqualTo(OutboundTls.OFF);
        assertThat(s.targetPolicies().get(NextHop.of("legacy.example.net:25")).tls())
                .isEqualTo(OutboundTls.OFF);
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void targetShouldBeRefusedWhenCredentialsWouldTravelInPlaintext() throws Exception {
        RelayConfig c = yaml.readValue("""
                targets:
                  "legacy.example.net:25":
                    tls: off
                    username: mx-relay
                    password: pw-never-logged
                """, RelayConfig.class);
        assertThatThrownBy(c::toSettings)
                .hasMessageContaining("only sent over TLS")
                .hasMessageNotContaining("pw-never");
    }

    @Test
    void tlsProviderShouldDefaultToAutoAndReachTheRelay() throws Exception {
        assertThat(new RelayConfig().toSettings().tlsProvider()).isEqualTo(TlsProvider.AUTO);
        RelayConfig jdk = yaml.readValue("tlsProvider: JDK\n", RelayConfig.class);
        assertThat(jdk.toSettings().tlsProvider()).isEqualTo(TlsProvider.JDK);
        assertThat(jdk.problems()).isEmpty();
        // BoringSSL loads on the build machines (TlsProviderTest), so "native" is no problem there
        RelayConfig nativeTls = yaml.readValue("tlsProvider: native\n", RelayConfig.class);
        assertThat(nativeTls.toSettings().tlsProvider()).isEqualTo(TlsProvider.NATIVE);
        assertThat(nativeTls.problems()).isEmpty();
    }
}
