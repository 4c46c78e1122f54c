package io.mxcutover.appliance.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.TestAppliance;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class StatusApiTest {
    static final TestAppliance APPLIANCE = new TestAppliance(TestAppliance.plan("example.test"));
    static final io.dropwizard.testing.junit5.DropwizardAppExtension<?> APP = APPLIANCE.app;

    /** A response read to the end, so the client's pooled connection is released. */
    record Reply(int status, String body) {
        int getStatus() {
            return status;
        }

        String readEntity(Class<String> type) {
            return body;
        }
    }

    static Reply reply(Response r) {
        try (r) {
            return new Reply(r.getStatus(), r.readEntity(String.class));
        }
    }

    Reply get(String path, String auth) {
        var req = APP.client().target(APPLIANCE.url(path)).request();
        if (auth != null) req = req.header(HttpHeaders.AUTHORIZATION, auth);
        return reply(req.get());
    }

    Reply post(String path, String auth) {
        var req = APP.client().target(APPLIANCE.url(path)).request();
        if (auth != null) req = req.header(HttpHeaders.AUTHORIZATION, auth);
        return reply(req.post(Entity.json("{}")));
    }

    @Test
    void statusShouldRequireCredentials() {
        assertThat(get("/v1/status", null).getStatus()).isEqualTo(401);
        assertThat(get("/v1/status", TestAppliance.basic("ops", "wrong")).getStatus())
                .isEqualTo(401);
        assertThat(get("/v1/status", TestAppliance.basic("nobody", "ops-test-pw"))
                        .getStatus())
                .isEqualTo(401);
    }

    @Test
    void statusShouldListPlanDomainsWithPhaseForOperator() {
        Reply r = get("/v1/status", TestAppliance.OPERATOR);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .contains("\"version\":", "\"uptimeSeconds\":", "{\"name\":\"example.test\",\"phase\":\"RELAYING\"}")
                .containsPattern("\"startedAt\":\"\\d{4}-[^\"]*Z\"");
    }

    @Test
    void statusAndNodesShouldListThisNodeAliveOnSqlite() throws Exception {
        assertThat(get("/v1/nodes", null).getStatus()).isEqualTo(401);
        Reply nodes = get("/v1/nodes", TestAppliance.OPERATOR);
        assertThat(nodes.status()).isEqualTo(200);
        var list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(nodes.body());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("alive").asBoolean()).isTrue();
        assertThat(list.get(0).get("leases").asInt()).isZero();
        assertThat(list.get(0).get("lastHeartbeat").asText()).endsWith("Z");
        var status = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(get("/v1/status", TestAppliance.OPERATOR).body());
        assertThat(status.get("nodes").get(0).get("id").asText())
                .isEqualTo(list.get(0).get("id").asText())
                .isEqualTo(status.get("node").asText());
    }

    @Test
    void planReloadShouldBeForbiddenForOperatorAndAllowedForAdmin() {
        assertThat(post("/v1/plan/reload", null).getStatus()).isEqualTo(401);
        assertThat(post("/v1/plan/reload", TestAppliance.OPERATOR).getStatus()).isEqualTo(403);
        assertThat(post("/v1/plan/reload", TestAppliance.ADMIN).getStatus()).isEqualTo(200);
    }

    @Test
    void statusShouldShowNewDomainWhenPlanIsEditedAndKeepOldPlanWhenEditIsBroken() throws Exception {
        write(TestAppliance.plan("example.test", "added.example"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/v1/status", TestAppliance.OPERATOR)
                        .readEntity(String.class)
                        .contains("added.example"));

        write(TestAppliance.plan("example.test", "added.example").replace("mx: [ mx1.new.example ]", "mx: [ ]")
                + "  - name: broken..example\n");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/v1/status", TestAppliance.OPERATOR)
                        .readEntity(String.class)
                        .contains("refusedEdit\":[\""));
        String status = get("/v1/status", TestAppliance.OPERATOR).readEntity(String.class);
        assertThat(status).contains("added.example").doesNotContain("name\":\"broken");
        Reply reload = post("/v1/plan/reload", TestAppliance.ADMIN);
        assertThat(reload.getStatus()).isEqualTo(422);
        assertThat(reload.readEntity(String.class)).contains("plan.yml:", "domains[2].name");

        write(TestAppliance.plan("example.test"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !get("/v1/status", TestAppliance.OPERATOR)
                        .readEntity(String.class)
                        .contains("added.example"));
    }

    @Test
    void healthChecksShouldBeHealthyOnAdminPort() {
        String body = reply(APP.client()
                        .target("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck")
                        .request()
                        .header(HttpHeaders.AUTHORIZATION, TestAppliance.OPERATOR)
                        .get())
                .body();
        assertThat(body).contains("\"store\":{\"healthy\":true", "\"state-directory\":{\"healthy\":true", "\"plan\"");
    }

    private static void write(String text) throws Exception {
        var tmp = APPLIANCE.plan.resolveSibling("plan.yml.new");
        Files.writeString(tmp, text);
        Files.move(tmp, APPLIANCE.plan, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
