package io.mxcutover.appliance.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.TestAppliance;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The batch endpoints over real HTTP: states, refusals with their status, roles, CSV. The copy itself: BatchesIT. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BatchApiTest {
    static final TestAppliance APPLIANCE =
            new TestAppliance(TestAppliance.plan("example.org"), ConfigOverride.config("sync.enabled", "false"));
    static final DropwizardAppExtension<?> APP = APPLIANCE.app;

    record Reply(int status, String body) {}

    static Reply post(String path, String who, String body, String type) {
        try (Response r = APP.client()
                .target(APPLIANCE.url(path))
                .request()
                .header(HttpHeaders.AUTHORIZATION, who)
                .post(Entity.entity(body, type))) {
            return new Reply(r.getStatus(), r.readEntity(String.class));
        }
    }

    static Reply get(String path) {
        try (Response r = APP.client()
                .target(APPLIANCE.url(path))
                .request()
                .header(HttpHeaders.AUTHORIZATION, TestAppliance.OPERATOR)
                .get()) {
            return new Reply(r.getStatus(), r.readEntity(String.class));
        }
    }

    static Reply command(String batch, String command) {
        return post(
                "/v1/domains/example.org/batches/" + batch + "/" + command,
                TestAppliance.ADMIN,
                "{\"reason\": \"test\"}",
                "application/json");
    }

    @Test
    void batchShouldGoThroughItsStatesAndRefuseWhatItsStateForbidsWhenAdminCommands() {
        Reply imported = post(
                "/v1/mailboxes",
                TestAppliance.ADMIN,
                "address,legacy_login,legacy_password,new_login,new_password,batch\n"
                        + "anna@example.org,anna,pw-anna-x,anna,pw-anna-x,Pilot\n"
                        + "ben@example.org,ben,pw-ben-x,ben,pw-ben-x,wave-2\n",
                "text/csv");
        assertThat(imported.status()).isEqualTo(200);

        assertThat(get("/v1/domains/example.org/batches").body())
                .contains("\"name\":\"pilot\"", "\"name\":\"wave-2\"", "\"state\":\"NEW\"");
        assertThat(post("/v1/mailboxes/anna@example.org/sync", TestAppliance.ADMIN, "", "text/plain")
                        .status())
                .isEqualTo(409);
        assertThat(command("pilot", "pause").status()).isEqualTo(409);
        assertThat(command("pilot", "complete")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.body()).contains("never started");
        });
        assertThat(command("pilot", "start")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"changed\":true", "NEW -> STARTED, 1 mailbox");
        });
        assertThat(command("pilot", "start").body()).contains("\"changed\":false", "already started");
        assertThat(command("pilot", "pause").body()).contains("\"state\":\"PAUSED\"");
        assertThat(command("pilot", "start").status()).isEqualTo(409);
        assertThat(command("pilot", "resume").body()).contains("\"state\":\"STARTED\"");
        assertThat(command("pilot", "complete").status()).isEqualTo(202);
        assertThat(command("pilot", "resume").status()).isEqualTo(409);
        assertThat(command("nope", "start").status()).isEqualTo(404);
        assertThat(post("/v1/domains/example.org/batches/pilot/start", TestAppliance.OPERATOR, "", "application/json")
                        .status())
                .isEqualTo(403);

        Reply csv = get("/v1/domains/example.org/batches/pilot/report.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body())
                .startsWith("domain,batch,batch_state,address,status")
                .contains("example.org,pilot,COMPLETED,anna@example.org,")
                .doesNotContain("pw-anna-x");
        assertThat(get("/v1/domains/example.org/batches/pilot").body())
                .contains("\"mailboxesTotal\":1")
                .doesNotContain("pw-anna-x");
        assertThat(get("/v1/audit?domain=example.org").body())
                .contains("batch.start", "batch.pause", "batch.resume", "batch.complete");
    }

    @Test
    void assignShouldMoveImportedMailboxesAndRefuseOthersWhenAdminPostsThem() {
        assertThat(post("/v1/mailboxes", TestAppliance.ADMIN, "cleo:pw-cleo-x:cleo@example.org\n", "text/plain")
                        .status())
                .isEqualTo(200);
        Reply ok = post(
                "/v1/domains/example.org/batches/late/mailboxes",
                TestAppliance.ADMIN,
                "{\"mailboxes\": [\"Cleo@example.org\"]}",
                "application/json");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("1 mailbox now in batch late", "\"state\":\"NEW\"");
        Reply bad = post(
                "/v1/domains/example.org/batches/late/mailboxes",
                TestAppliance.ADMIN,
                "{\"mailboxes\": [\"zed@example.org\", \"x@other.test\"]}",
                "application/json");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("zed@example.org is not in the mailbox list", "x@other.test is not of domain");
        assertThat(get("/v1/hooks/runs?failed=true").status()).isEqualTo(200);
    }
}
