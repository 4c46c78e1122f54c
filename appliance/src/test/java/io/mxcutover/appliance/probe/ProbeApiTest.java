package io.mxcutover.appliance.probe;

import static io.mxcutover.appliance.TestAppliance.OPERATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.TestAppliance;
import io.mxcutover.appliance.cutover.CutoverAppliance;
import io.mxcutover.appliance.cutover.CutoverAppliance.Reply;
import io.mxcutover.appliance.cutover.FakeParts;
import io.mxcutover.appliance.facts.MailboxLogin;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v1/domains/{d}/probes} and the probes after a cutover, without servers: no probe mailbox
 * is configured and the plan's new IMAP server (127.0.0.1:2) does not answer. The probes against real
 * servers are in {@code e2e.CutoverEndToEndIT}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProbeApiTest {
    static final CutoverAppliance APPLIANCE = new CutoverAppliance(TestAppliance.plan("relaying.test", "probed.test"));
    static final DropwizardAppExtension<?> APP = APPLIANCE.app;
    static final FakeParts PARTS = new FakeParts();

    static {
        PARTS.now = APPLIANCE.clock::instant;
    }

    @BeforeEach
    void wireParts() {
        PARTS.install(APPLIANCE.service());
    }

    @Test
    void probesShouldBeRefusedBeforeCutoverAndForOperatorsAndUnknownDomains() {
        assertThat(APPLIANCE
                        .post("/v1/domains/relaying.test/probes", OPERATOR, "")
                        .status())
                .isEqualTo(403);
        assertThat(APPLIANCE.post("/v1/domains/relaying.test/probes", null, "").status())
                .isEqualTo(401);
        assertThat(APPLIANCE.admin("/v1/domains/elsewhere.test/probes", "").status())
                .isEqualTo(404);

        Reply early = APPLIANCE.admin("/v1/domains/relaying.test/probes", "");

        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("message").asText()).contains("not cut over", "legacy");
        assertThat(APPLIANCE.operator("/v1/domains/relaying.test").get("probes").isNull())
                .isTrue();
    }

    @Test
    void probesShouldRunAfterCutoverAndAgainOnRequestWithTheirVerdictsInViewReportAndAudit() {
        PARTS.ready("probed.test");
        assertThat(APPLIANCE
                        .admin("/v1/domains/probed.test/cutover", "{\"reason\": \"go\"}")
                        .status())
                .isEqualTo(200);

        JsonNode auto = awaitProbesDone();
        assertThat(auto.get("requestedBy").asText()).isEqualTo("mxcutover");
        assertThat(auto.get("sendReceive").get("state").asText()).isEqualTo("WARN");
        assertThat(auto.get("sendReceive").get("reason").asText()).contains("no probe mailbox is configured");
        assertThat(auto.get("credentials").get("state").asText()).isEqualTo("WARN");

        APPLIANCE
                .service()
                .postCutoverProbes()
                .credentials(d -> List.of(new MailboxLogin("anna@" + d, "anna", "anna-secret-pw")));
        APPLIANCE.clock.advance(Duration.ofMinutes(1));
        Reply asked = APPLIANCE.admin("/v1/domains/probed.test/probes", "");

        assertThat(asked.status()).isEqualTo(202);
        assertThat(asked.json().get("requestedBy").asText()).isEqualTo("admin");
        JsonNode done = awaitProbesDone();
        assertThat(done.get("requestedBy").asText()).isEqualTo("admin");
        assertThat(done.get("credentials").get("state").asText()).isEqualTo("FAIL");
        assertThat(done.get("credentials").get("reason").asText()).contains("only 0 of 1");
        JsonNode report = APPLIANCE.operator("/v1/domains/probed.test/report");
        assertThat(report.get("probes").get("credentials").get("state").asText())
                .isEqualTo("FAIL");
        String audit = APPLIANCE.operator("/v1/audit?domain=probed.test").toString();
        assertThat(audit)
                .contains("\"action\":\"probes\"", "send-receive WARN", "credentials FAIL")
                .doesNotContain("anna-secret-pw");
    }

    private static JsonNode awaitProbesDone() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode p = APPLIANCE.operator("/v1/domains/probed.test").get("probes");
            return p != null && !p.isNull() && p.get("state").asText().equals("done");
        });
        return APPLIANCE.operator("/v1/domains/probed.test").get("probes");
    }
}
