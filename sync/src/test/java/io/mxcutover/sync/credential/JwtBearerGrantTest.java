package io.mxcutover.sync.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mxcutover.it.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtBearerGrantTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static KeyPair pair;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        pair = g.generateKeyPair();
    }

    private static Path keyFile(Path dir, String tokenUri) throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path file = dir.resolve("sa.json");
        Files.writeString(
                file,
                JSON.createObjectNode()
                        .put("type", "service_account")
                        .put("client_email", "mxcutover@project.iam.gserviceaccount.com")
                        .put("private_key", pem)
                        .put("token_uri", tokenUri)
                        .toString());
        return file;
    }

    @Test
    void grantShouldPostAnRs256JwtForTheMailboxThatTheEndpointCanVerify(@TempDir Path dir) throws Exception {
        List<JsonNode> claims = new ArrayList<>();
        List<Boolean> signatureOk = new ArrayList<>();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        http.createContext("/token", ex -> {
            Map<String, String> form = new HashMap<>();
            for (String field : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = field.split("=", 2);
                form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            String[] jwt = form.get("assertion").split("\\.");
            try {
                Signature v = Signature.getInstance("SHA256withRSA");
                v.initVerify(pair.getPublic());
                v.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
                signatureOk.add(v.verify(Base64.getUrlDecoder().decode(jwt[2]))
                        && form.get("grant_type").equals("urn:ietf:params:oauth:grant-type:jwt-bearer"));
                claims.add(JSON.readTree(Base64.getUrlDecoder().decode(jwt[1])));
                signatureOk.add(JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]))
                        .path("alg")
                        .asText()
                        .equals("RS256"));
            } catch (Exception e) {
                signatureOk.add(false);
            }
            byte[] answer = "{\"access_token\":\"ya29.x\",\"token_type\":\"Bearer\",\"expires_in\":3599}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        http.start();
        try {
            String tokenUri = "http://127.0.0.1:" + http.getAddress().getPort() + "/token";
            ServiceAccountKey key = ServiceAccountKey.read(keyFile(dir, tokenUri));
            JwtBearerGrant grant = new JwtBearerGrant(
                    key,
                    "https://mail.google.com/",
                    "anna@example.org",
                    HttpClient.newHttpClient(),
                    new MutableClock(NOW),
                    Duration.ofSeconds(5));

            AccessToken token = grant.fetch();

            assertThat(token.value().reveal()).isEqualTo("ya29.x");
            assertThat(token.expiresAt()).isEqualTo(NOW.plusSeconds(3599));
            assertThat(signatureOk).containsOnly(true).hasSize(2);
            JsonNode c = claims.get(0);
            assertThat(c.path("iss").asText()).isEqualTo("mxcutover@project.iam.gserviceaccount.com");
            assertThat(c.path("sub").asText()).isEqualTo("anna@example.org");
            assertThat(c.path("aud").asText()).isEqualTo(tokenUri);
            assertThat(c.path("scope").asText()).isEqualTo("https://mail.google.com/");
            assertThat(c.path("iat").asLong()).isEqualTo(NOW.getEpochSecond());
            assertThat(c.path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 3600);
            assertThat(key.toString() + grant).doesNotContain("PRIVATE").contains("anna@example.org");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void keyFileThatIsNotAServiceAccountShouldBeRefusedWithoutShowingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.json");
        Files.writeString(file, "{\"type\":\"authorized_user\",\"client_secret\":\"s3cret\"}");
        assertThatThrownBy(() -> ServiceAccountKey.read(file))
                .hasMessageContaining("is not a service account key")
                .hasMessageNotContaining("s3cret");
        Files.writeString(
                file,
                "{\"type\":\"service_account\",\"client_email\":\"a@b\",\"private_key\":\"-----BEGIN PRIVATE KEY-----"
                        + "bm90IGEga2V5-----END PRIVATE KEY-----\"}");
        assertThatThrownBy(() -> ServiceAccountKey.read(file)).hasMessageContaining("not an RSA key");
    }

    @Test
    void serviceAccountLoginsShouldGiveEachMailboxItsOwnCache(@TempDir Path dir) throws Exception {
        OAuthLogins logins = OAuthLogins.serviceAccount(
                ServiceAccountKey.read(keyFile(dir, "https://oauth2.googleapis.com/token")),
                "https://mail.google.com/",
                new MutableClock(NOW));
        Login a = logins.resolve(new Login("a@example.org", Secret.of(""), Login.Kind.XOAUTH2));
        Login a2 = logins.resolve(new Login("a@example.org", Secret.of(""), Login.Kind.XOAUTH2));
        Login b = logins.resolve(new Login("b@example.org", Secret.of(""), Login.Kind.XOAUTH2));

        assertThat(a.tokens()).containsSame(a2.tokens().orElseThrow());
        assertThat(a.tokens().orElseThrow()).isNotSameAs(b.tokens().orElseThrow());
        assertThat(logins.toString()).contains("mxcutover@project.iam.gserviceaccount.com", "jwt-bearer");
    }
}
