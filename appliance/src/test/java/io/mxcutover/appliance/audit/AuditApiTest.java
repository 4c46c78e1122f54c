package io.mxcutover.appliance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.TestAppliance;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class AuditApiTest {
    static final TestAppliance APPLIANCE = new TestAppliance(TestAppliance.plan("a.test", "b.test"));
    static final DropwizardAppExtension<?> APP = APPLIANCE.app;

    record Reply(int status, String body) {}

    static Reply send(String method, String path, String auth) {
        var req = APP.client().target(APPLIANCE.url(path)).request();
        if (auth != null) {
            req = req.header(HttpHeaders.AUTHORIZATION, auth);
        }
        try (Response r = method.equals("GET") ? req.get() : req.post(Entity.json("{}"))) {
            return new Reply(r.getStatus(), r.readEntity(String.class));
        }
    }

    @Test
    void auditShouldNeedOperatorRole() {
        assertThat(send("GET", "/v1/audit", null).status()).isEqualTo(401);
        assertThat(send("GET", "/v1/audit", TestAppliance.basic("admin", "wrong"))
                        .status())
                .isEqualTo(401);
        assertThat(send("GET", "/v1/audit", TestAppliance.OPERATOR).status()).isEqualTo(200);
        assertThat(send("GET", "/v1/audit", TestAppliance.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void auditShouldListNewestFirstAndFilterByDomainWithActor() throws Exception {
        // Rollbacks of domains never cut over (repeats, not errors) and a plan reload: three audited actions.
        assertThat(send("POST", "/v1/domains/a.test/rollback", TestAppliance.ADMIN)
                        .status())
                .isEqualTo(200);
        assertThat(send("POST", "/v1/domains/b.test/rollback", TestAppliance.ADMIN)
                        .status())
                .isEqualTo(200);
        assertThat(send("POST", "/v1/plan/reload", TestAppliance.ADMIN).status())
                .isEqualTo(200);

        JsonNode all = json(send("GET", "/v1/audit", TestAppliance.OPERATOR));
        JsonNode onlyA = json(send("GET", "/v1/audit?domain=A.test", TestAppliance.OPERATOR));
        JsonNode one = json(send("GET", "/v1/audit?limit=1", TestAppliance.OPERATOR));

        assertThat(actions(all))
                .contains("rollback.repeated a.test admin", "rollback.repeated b.test admin", "plan.reload - admin");
        assertThat(actions(onlyA)).containsExactly("rollback.repeated a.test admin");
        assertThat(onlyA.get("domain").asText()).isEqualTo("a.test");
        assertThat(one.get("entries")).hasSize(1);
        List<String> times = new ArrayList<>();
        all.get("entries").forEach(e -> times.add(e.get("at").asText()));
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void auditShouldAnswer422WhenLimitIsOutOfRange() throws Exception {
        for (String limit : List.of("0", "1001", "many")) {
            Reply r = send("GET", "/v1/audit?limit=" + limit, TestAppliance.OPERATOR);
            assertThat(r.status()).as(limit).isEqualTo(422);
            assertThat(json(r).get("message").asText()).contains("is not a number from 1 to 1000");
        }
    }

    private static JsonNode json(Reply r) throws Exception {
        return new ObjectMapper().readTree(r.body());
    }

    private static List<String> actions(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("entries")
                .forEach(e -> out.add(e.get("action").asText() + " "
                        + (e.get("domain").isNull() ? "-" : e.get("domain").asText()) + " "
                        + e.get("actor").asText()));
        return out;
    }
}
