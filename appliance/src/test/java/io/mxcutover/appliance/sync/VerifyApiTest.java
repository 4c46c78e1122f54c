package io.mxcutover.appliance.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.TestAppliance;
import io.mxcutover.appliance.cutover.CutoverAppliance;
import io.mxcutover.appliance.cutover.CutoverAppliance.Reply;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Verification through the API when the servers cannot be reached: the plan's legacy and new IMAP ports
 * (127.0.0.1:1 and :2) refuse connections, so every verification is UNREACHABLE and the gate must stay red.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class VerifyApiTest {
    static final CutoverAppliance APPLIANCE = new CutoverAppliance(TestAppliance.plan("verify.test", "empty.test"));
    static final DropwizardAppExtension<?> APP = APPLIANCE.app;

    @Test
    void verificationShouldKeepGateRedAndBeStoredWhenServerUnreachable() {
        String csv = "address,legacy_login,legacy_password,new_login,new_password\n"
                + "anna@verify.test,anna,l-secret-1,anna,n-secret-1\nben@verify.test,ben,l-secret-2,ben,n-secret-2\n";
        try (var r = APP.client()
                .target(APPLIANCE.url("/v1/mailboxes"))
                .request()
                .header(HttpHeaders.AUTHORIZATION, TestAppliance.ADMIN)
                .post(Entity.entity(csv, "text/csv"))) {
            assertThat(r.getStatus()).isEqualTo(200);
        }
        assertThat(verificationCheck())
                .startsWith("FAIL")
                .contains("never verified: anna@verify.test, ben@verify.test");

        // One mailbox on demand: the verifier cannot reach legacy, so nothing was compared.
        Reply one = APPLIANCE.admin("/v1/mailboxes/anna@verify.test/verify", "");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("verdict").asText()).isEqualTo("UNREACHABLE");
        assertThat(verificationCheck())
                .startsWith("FAIL")
                .contains(
                        "verification could not reach a server for anna@verify.test",
                        "never verified: ben@verify.test");

        // The whole domain in one call, in the background.
        assertThat(APPLIANCE
                        .post("/v1/domains/verify.test/verify", TestAppliance.OPERATOR, "")
                        .status())
                .isEqualTo(403);
        Reply started = APPLIANCE.admin("/v1/domains/verify.test/verify", "");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        assertThat(started.json().get("run").get("mailboxesTotal").asInt()).isEqualTo(2);
        assertThat(started.json().get("run").get("startedAt").asText()).isEqualTo("2026-11-20T08:00:00Z");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> APPLIANCE
                        .operator("/v1/domains/verify.test/verify")
                        .get("run")
                        .get("state")
                        .asText()
                        .equals("done"));
        JsonNode done = APPLIANCE.operator("/v1/domains/verify.test/verify");
        assertThat(done.get("run").get("mailboxesDone").asInt()).isEqualTo(2);
        assertThat(done.get("run").get("mailboxesClean").asInt()).isZero();
        assertThat(done.get("run").get("finishedAt").asText()).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(done.get("mailboxes")).hasSize(2).allSatisfy(m -> {
            assertThat(m.get("verdict").asText()).isEqualTo("UNREACHABLE");
            assertThat(m.get("folders").asInt()).isZero();
            assertThat(m.get("requestedBy").asText()).isEqualTo("admin");
            assertThat(m.has("detail")).isFalse();
        });
        assertThat(done.toString()).doesNotContain("secret");
        assertThat(verificationCheck())
                .startsWith("FAIL")
                .contains("verification could not reach a server for anna@verify.test", "ben@verify.test");

        JsonNode stored = APPLIANCE.operator("/v1/mailboxes/anna@verify.test/verify");
        assertThat(stored.get("takenAt").asText()).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(stored.get("detail").get("verdict").asText()).isEqualTo("UNREACHABLE");
        assertThat(APPLIANCE
                        .get("/v1/mailboxes/nobody@verify.test/verify", TestAppliance.OPERATOR)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void domainVerifyShouldAnswer404WhenDomainNotPlannedAndFinishAtOnceWhenNoMailboxes() {
        assertThat(APPLIANCE.admin("/v1/domains/elsewhere.test/verify", "").status())
                .isEqualTo(404);
        assertThat(APPLIANCE
                        .get("/v1/domains/elsewhere.test/verify", TestAppliance.OPERATOR)
                        .status())
                .isEqualTo(404);
        assertThat(APPLIANCE
                        .operator("/v1/domains/empty.test/verify")
                        .get("run")
                        .isNull())
                .isTrue();

        Reply started = APPLIANCE.admin("/v1/domains/empty.test/verify", "");

        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().get("run").get("state").asText()).isEqualTo("done");
        assertThat(started.json().get("run").get("mailboxesTotal").asInt()).isZero();
    }

    private static String verificationCheck() {
        for (JsonNode c :
                APPLIANCE.operator("/v1/domains/verify.test").get("readiness").get("checks")) {
            if (c.get("name").asText().equals("verification")) {
                return c.get("state").asText() + " " + c.get("reason").asText();
            }
        }
        throw new AssertionError("no verification check");
    }
}
