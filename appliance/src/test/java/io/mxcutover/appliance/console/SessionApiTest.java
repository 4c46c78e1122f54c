package io.mxcutover.appliance.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.TestAppliance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The console's login and its protections over HTTP, without a browser: the cookie, the CSRF token, other
 * origins, roles, logout, the 401 without a challenge for the page, and the security headers.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SessionApiTest {
    static final TestAppliance APPLIANCE = new TestAppliance(TestAppliance.plan("example.test"));
    static final DropwizardAppExtension<?> APP = APPLIANCE.app;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    record Login(String cookie, String csrf, HttpResponse<String> response) {}

    static String base() {
        return "http://127.0.0.1:" + APP.getLocalPort();
    }

    static Login login(String user, String password) throws Exception {
        HttpResponse<String> r = send(
                "POST",
                "/api/v1/session",
                Map.of("Content-Type", "application/json"),
                "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}");
        String setCookie = r.headers().firstValue("Set-Cookie").orElse("");
        String cookie = setCookie.isEmpty() ? null : setCookie.substring(0, setCookie.indexOf(';'));
        String csrf =
                r.statusCode() == 200 ? JSON.readTree(r.body()).get("csrfToken").asText() : null;
        return new Login(cookie, csrf, r);
    }

    static HttpResponse<String> send(String method, String path, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loginShouldSetAnHttpOnlyStrictCookieAndAnswerWithTheRoleAndToken() throws Exception {
        Login l = login("ops", "ops-test-pw");
        assertThat(l.response().statusCode()).isEqualTo(200);
        assertThat(l.response().headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith(ConsoleSessions.COOKIE + "=")
                .contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain("Secure"); // plain HTTP here; Secure over TLS
        JsonNode body = JSON.readTree(l.response().body());
        assertThat(body.get("name").asText()).isEqualTo("ops");
        assertThat(body.get("role").asText()).isEqualTo("operator");
        assertThat(body.toString())
                .doesNotContain("ops-test-pw")
                .doesNotContain(l.cookie().substring(l.cookie().indexOf('=') + 1));

        HttpResponse<String> status = send("GET", "/api/v1/status", Map.of("Cookie", l.cookie()), null);
        assertThat(status.statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordShouldGet401WithoutChallengeAndNoCookie() throws Exception {
        Login l = login("ops", "wrong");
        assertThat(l.response().statusCode()).isEqualTo(401);
        assertThat(l.cookie()).isNull();
        assertThat(l.response().headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(login("nobody", "x").response().statusCode()).isEqualTo(401);
    }

    @ParameterizedTest(name = "[{index}] {0} token={1} origin={2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            admin | right | same    | 200
            admin | none  | same    | 403
            admin | wrong | same    | 403
            admin | right | other   | 403
            admin | right | none    | 200
            ops   | right | same    | 403
            """)
    void changeWithTheCookieShouldNeedTheTokenTheOriginAndTheRole(String user, String token, String origin, int status)
            throws Exception {
        Login l = login(user, user + "-test-pw");
        Map<String, String> h = new java.util.HashMap<>(Map.of("Cookie", l.cookie()));
        if (!token.equals("none")) {
            h.put("X-CSRF-Token", token.equals("right") ? l.csrf() : "forged");
        }
        if (!origin.equals("none")) {
            h.put("Origin", origin.equals("same") ? base() : "http://evil.example");
        }
        assertThat(send("POST", "/api/v1/plan/reload", h, null).statusCode()).isEqualTo(status);
    }

    @Test
    void basicAuthShouldWorkAsBeforeButNotFromAnotherOrigin() throws Exception {
        assertThat(send("POST", "/api/v1/plan/reload", Map.of("Authorization", TestAppliance.ADMIN), null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(
                                "POST",
                                "/api/v1/plan/reload",
                                Map.of("Authorization", TestAppliance.ADMIN, "Sec-Fetch-Site", "cross-site"),
                                null)
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> none = send("GET", "/api/v1/status", Map.of(), null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"mxcutover\"");
        HttpResponse<String> page =
                send("GET", "/api/v1/status", Map.of("X-Requested-With", "mxcutover-console"), null);
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.headers().firstValue("WWW-Authenticate"))
                .as("no browser dialog for the page")
                .isEmpty();
    }

    @Test
    void logoutShouldEndTheSession() throws Exception {
        Login l = login("admin", "admin-test-pw");
        assertThat(send("DELETE", "/api/v1/session", Map.of("Cookie", l.cookie()), null)
                        .statusCode())
                .as("logout is a change: it needs the token")
                .isEqualTo(403);
        HttpResponse<String> out =
                send("DELETE", "/api/v1/session", Map.of("Cookie", l.cookie(), "X-CSRF-Token", l.csrf()), null);
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(send("GET", "/api/v1/session", Map.of("Cookie", l.cookie()), null)
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void pagesShouldBeServedWithAPolicyThatForbidsInlineScript() throws Exception {
        for (String path :
                new String[] {"/", "/domain.html", "/console.js", "/vendor/uplot/uPlot.iife.min.js", "/api/v1/status"
                }) {
            HttpResponse<String> r = send("GET", path, Map.of(), null);
            assertThat(r.statusCode()).as(path).isIn(200, 401);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp)
                    .as(path)
                    .contains("script-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline");
            assertThat(r.headers().firstValue("X-Content-Type-Options"))
                    .as(path)
                    .hasValue("nosniff");
        }
        String index = send("GET", "/", Map.of(), null).body();
        assertThat(index)
                .contains("<script type=\"module\" src=\"/overview.js\">")
                .doesNotContainPattern("<script>[^<]");
    }
}
