package io.mxcutover.sync.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The token request of RFC 6749 over the JDK's HTTP client: a form POST of {@code grant_type}, {@code client_id},
 * {@code client_secret} (client_secret_post, §2.3.1, which Microsoft's and Google's endpoints accept),
 * {@code scope} and, for the refresh-token grant, {@code refresh_token}; the JSON answer's {@code access_token}
 * and {@code expires_in} (a number or, from older endpoints, a string of digits). A new {@code refresh_token} in
 * the answer (rotation) replaces the old one for the next request; it is kept in memory only.
 *
 * <p>An answer with {@code error} (§5.2) is a refusal naming the error and its description; a 5xx, a 429, an
 * unreadable answer or no answer is transient. Nothing here logs; no message carries a secret or a token.
 */
public final class HttpTokenGrant implements TokenGrant {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Clock clock;
    private final Duration timeout;
    private OAuthClient client;

    public HttpTokenGrant(OAuthClient client, HttpClient http, Clock clock, Duration timeout) {
        this.client = client;
        this.http = http;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** A grant with its own HTTP client (connect timeout {@code timeout}, no redirects: a token request is not followed elsewhere). */
    public static HttpTokenGrant of(OAuthClient client, Clock clock, Duration timeout) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new HttpTokenGrant(client, http, clock, timeout);
    }

    @Override
    public String endpoint() {
        return client.tokenEndpoint().toString();
    }

    @Override
    public synchronized AccessToken fetch() throws OAuthException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", client.grant().wire());
        form.put("client_id", client.clientId());
        if (!client.clientSecret().isEmpty()) {
            form.put("client_secret", client.clientSecret().reveal());
        }
        if (!client.scope().isEmpty()) {
            form.put("scope", client.scope());
        }
        client.refreshToken().ifPresent(t -> form.put("refresh_token", t.reveal()));
        Instant asked = clock.instant();
        HttpResponse<String> response = post(http, client.tokenEndpoint(), form, timeout);
        return parse(response.statusCode(), response.body(), asked);
    }

    /** POSTs {@code form} to {@code endpoint}; no answer at all is a transient {@link OAuthException}. */
    static HttpResponse<String> post(HttpClient http, URI endpoint, Map<String, String> form, Duration timeout)
            throws OAuthException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OAuthException(
                    "token endpoint " + endpoint + " did not answer: "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()),
                    false,
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException("interrupted while asking " + endpoint + " for a token", false, null);
        }
    }

    /** What the endpoint's answer means: a token, a refusal (needs the admin) or a transient failure. */
    AccessToken parse(int status, String body, Instant asked) throws OAuthException {
        JsonNode json = json(body);
        AccessToken token = answer(endpoint(), client.toString(), status, json, asked);
        String rotated = json.path("refresh_token").asText("");
        if (!rotated.isEmpty() && client.refreshToken().isPresent()) {
            client = client.withRefreshToken(Secret.of(rotated));
        }
        return token;
    }

    static JsonNode json(String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            json = JSON.createObjectNode();
        }
        return json.isObject() ? json : JSON.createObjectNode();
    }

    /**
     * The token in the JSON answer {@code json} (HTTP {@code status}) of {@code endpoint} to {@code who}'s request
     * made at {@code asked}, or why there is none: a refusal (an OAuth2 error or another 4xx) or a transient
     * failure (5xx, 429, no token).
     */
    static AccessToken answer(String endpoint, String who, int status, JsonNode json, Instant asked)
            throws OAuthException {
        String error = json.path("error").asText("");
        if (status == 429 || status >= 500) {
            throw new OAuthException(
                    "token endpoint " + endpoint + " answered HTTP " + status + describe(json) + " (retried later)",
                    false,
                    null);
        }
        if (!error.isEmpty() || status >= 400) {
            throw new OAuthException(
                    "token endpoint " + endpoint + " refused " + who + ": HTTP " + status
                            + (error.isEmpty() ? "" : " " + error) + describe(json)
                            + " (check the client id, secret, scope and the admin's consent)",
                    true,
                    null);
        }
        String token = json.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new OAuthException(
                    "token endpoint " + endpoint + " answered HTTP " + status + " without an access_token",
                    false,
                    null);
        }
        String tokenType = json.path("token_type").asText("Bearer");
        if (!tokenType.equalsIgnoreCase("bearer")) {
            throw new OAuthException(
                    "token endpoint " + endpoint + " gave a '" + tokenType + "' token; IMAP needs a Bearer token",
                    true,
                    null);
        }
        JsonNode expiresIn = json.path("expires_in");
        Instant expiresAt = Instant.MAX;
        if (expiresIn.isNumber() || expiresIn.asText("").matches("[0-9]{1,9}")) {
            expiresAt = asked.plusSeconds(expiresIn.asLong());
        }
        return new AccessToken(Secret.of(token), expiresAt);
    }

    private static String describe(JsonNode json) {
        String text = json.path("error_description").asText("");
        text = text.replaceAll("[\\r\\n]+", " ").strip();
        if (text.length() > 300) {
            text = text.substring(0, 300) + "...";
        }
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    @Override
    public String toString() {
        return "token grant of " + client;
    }
}
