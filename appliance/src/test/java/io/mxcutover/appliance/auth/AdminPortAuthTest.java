package io.mxcutover.appliance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.TestAppliance;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin port over real HTTP: tasks need an admin, reads an operator, only /ping is open. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminPortAuthTest {
    static final TestAppliance APPLIANCE = new TestAppliance(TestAppliance.plan("example.test"));
    static final DropwizardAppExtension<?> APP = APPLIANCE.app;
    static final String LOG_LEVEL = "/tasks/log-level?logger=io.mxcutover.admin-port-test&level=INFO";

    record Reply(int status, String body, String challenge) {}

    static Reply call(String method, String path, String auth) {
        Invocation.Builder req = APP.client()
                .target("http://127.0.0.1:" + APP.getAdminPort() + path)
                .request();
        if (auth != null) {
            req = req.header(HttpHeaders.AUTHORIZATION, auth);
        }
        try (Response r = method.equals("POST") ? req.post(Entity.text("")) : req.get()) {
            return new Reply(r.getStatus(), r.readEntity(String.class), r.getHeaderString("WWW-Authenticate"));
        }
    }

    @Test
    void taskShouldAnswer401WithChallengeWhenAnonymous() {
        Reply r = call("POST", LOG_LEVEL, null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.challenge()).isEqualTo("Basic realm=\"mxcutover\"");
        assertThat(r.body()).contains("role ADMIN");
        assertThat(call("POST", LOG_LEVEL, TestAppliance.basic("admin", "wrong"))
                        .status())
                .isEqualTo(401);
        assertThat(call("POST", "/tasks/gc", null).status()).isEqualTo(401);
    }

    @Test
    void taskShouldAnswer403ForOperatorAnd200ForAdmin() {
        assertThat(call("POST", LOG_LEVEL, TestAppliance.OPERATOR).status()).isEqualTo(403);
        assertThat(call("POST", LOG_LEVEL, TestAppliance.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void encodedTaskPathShouldNeedAdminLikeThePlainOne() {
        assertThat(call("POST", "/%74asks/gc", TestAppliance.OPERATOR).status()).isIn(400, 403, 404);
        assertThat(call("POST", "/tasks/./gc", TestAppliance.OPERATOR).status()).isIn(400, 403, 404);
    }

    @Test
    void readsShouldNeedOperatorAndPingNothing() {
        assertThat(call("GET", "/healthcheck", null).status()).isEqualTo(401);
        assertThat(call("GET", "/metrics", null).status()).isEqualTo(401);
        assertThat(call("GET", "/threads", null).status()).isEqualTo(401);
        assertThat(call("GET", "/healthcheck", TestAppliance.OPERATOR).status()).isEqualTo(200);
        assertThat(call("GET", "/metrics", TestAppliance.OPERATOR).status()).isEqualTo(200);
        assertThat(call("GET", "/ping", null)).satisfies(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("pong");
        });
    }
}
