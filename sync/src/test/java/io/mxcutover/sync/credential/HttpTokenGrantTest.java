package io.mxcutover.sync.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.mxcutover.it.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpTokenGrantTest {
    private static final Instant ASKED = Instant.parse("2026-03-01T10:00:00Z");
    private static final OAuthClient CLIENT = OAuthClient.clientCredentials(
            URI.create("https://login.example/token"), "app-1", Secret.of("s3cret"), "https://mail.google.com/");

    /** One JDK client for every case (each holds a selector thread; a dozen of them cost seconds on a busy machine). */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpTokenGrant grant(OAuthClient client) {
        return new HttpTokenGrant(client, HTTP, new MutableClock(ASKED), Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":3599} | 3599",
                "{\"access_token\":\"at\",\"token_type\":\"bearer\",\"expires_in\":\"3600\"} | 3600",
                "{\"access_token\":\"at\",\"expires_in\":60,\"scope\":\"x\",\"ext_expires_in\":7200} | 60",
            })
    void answerShouldGiveTheTokenAndWhenItExpires(String body, long seconds) throws Exception {
        AccessToken t = grant(CLIENT).parse(200, body, ASKED);
        assertThat(t.value().reveal()).isEqualTo("at");
        assertThat(t.expiresAt()).isEqualTo(ASKED.plusSeconds(seconds));
    }

    @Test
    void answerWithoutExpiryShouldBeUsedUntilRejected() throws Exception {
        assertThat(grant(CLIENT).parse(200, "{\"access_token\":\"at\"}", ASKED).expiresAt())
                .isEqualTo(Instant.MAX);
    }

    @ParameterizedTest(name = "HTTP {0}: refused={2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "400 | {\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70000: revoked\"} | true | invalid_grant",
                "401 | {\"error\":\"invalid_client\"} | true | invalid_client",
                "200 | {\"error\":\"unauthorized_client\"} | true | unauthorized_client",
                "403 | <html>Forbidden</html> | true | HTTP 403",
                "200 | {\"access_token\":\"at\",\"token_type\":\"mac\"} | true | 'mac'",
                "500 | {\"error\":\"server_error\"} | false | HTTP 500",
                "503 | '' | false | HTTP 503",
                "429 | {} | false | HTTP 429",
                "200 | {\"token_type\":\"Bearer\"} | false | without an access_token",
                "200 | not json | false | without an access_token",
            })
    void failureShouldSayWhetherItNeedsTheAdmin(int status, String body, boolean refused, String words) {
        assertThatThrownBy(() -> grant(CLIENT).parse(status, body, ASKED))
                .isInstanceOfSatisfying(
                        OAuthException.class, e -> assertThat(e.refused()).isEqualTo(refused))
                .hasMessageContaining(words)
                .hasMessageContaining("https://login.example/token")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void requestShouldPostTheGrantAndUseARotatedRefreshTokenNextTime() throws Exception {
        List<String> bodies = new ArrayList<>();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        http.createContext("/token", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (bodies) {
                bodies.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " " + body);
            }
            byte[] answer = ("{\"access_token\":\"at-" + bodies.size()
                            + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"rt-"
                            + (bodies.size() + 1) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        http.start();
        try {
            OAuthClient client = OAuthClient.clientCredentials(
                            URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/token"),
                            "app 1",
                            Secret.of("s&cret"),
                            "https://outlook.office365.com/.default")
                    .withRefreshToken(Secret.of("rt-1"));
            HttpTokenGrant grant = grant(client);

            assertThat(grant.fetch().value().reveal()).isEqualTo("at-1");
            assertThat(grant.fetch().value().reveal()).isEqualTo("at-2");

            assertThat(bodies)
                    .containsExactly(
                            "POST application/x-www-form-urlencoded grant_type=refresh_token&client_id=app+1"
                                    + "&client_secret=s%26cret&scope=https%3A%2F%2Foutlook.office365.com%2F.default"
                                    + "&refresh_token=rt-1",
                            "POST application/x-www-form-urlencoded grant_type=refresh_token&client_id=app+1"
                                    + "&client_secret=s%26cret&scope=https%3A%2F%2Foutlook.office365.com%2F.default"
                                    + "&refresh_token=rt-2");
            assertThat(grant.toString()).doesNotContain("rt-", "s&cret");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void unreachableEndpointShouldBeTransient() {
        OAuthClient nowhere =
                OAuthClient.clientCredentials(URI.create("http://127.0.0.1:1/token"), "app", Secret.of("s3cret"), "");
        assertThatThrownBy(() -> grant(nowhere).fetch())
                .isInstanceOfSatisfying(
                        OAuthException.class, e -> assertThat(e.refused()).isFalse())
                .hasMessageContaining("did not answer")
                .hasMessageNotContaining("s3cret");
    }
}
