package io.mxcutover.sync.credential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JWT bearer grant (RFC 7523 §2.1) of a Google service account with domain-wide delegation: a JWT signed with
 * the account's key (RS256), issuer the account, audience the token endpoint, {@code sub} the mailbox to act for,
 * {@code scope} e.g. {@code https://mail.google.com/}, valid one hour; the endpoint's answer is read as any token
 * answer ({@link HttpTokenGrant#answer}). One grant per mailbox. Nothing here logs; messages name the account and
 * the mailbox, never the key or a token.
 */
public final class JwtBearerGrant implements TokenGrant {
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final ServiceAccountKey key;
    private final String scope;
    private final String subject;
    private final HttpClient http;
    private final Clock clock;
    private final Duration timeout;

    public JwtBearerGrant(
            ServiceAccountKey key, String scope, String subject, HttpClient http, Clock clock, Duration timeout) {
        this.key = key;
        this.scope = scope;
        this.subject = subject;
        this.http = http;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public AccessToken fetch() throws OAuthException {
        Instant now = clock.instant();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("assertion", assertion(now));
        HttpResponse<String> response = HttpTokenGrant.post(http, key.tokenUri(), form, timeout);
        return HttpTokenGrant.answer(
                endpoint(), key + " for " + subject, response.statusCode(), HttpTokenGrant.json(response.body()), now);
    }

    /** The signed JWT asked for at {@code now}. */
    String assertion(Instant now) throws OAuthException {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", key.clientEmail())
                .put("scope", scope)
                .put("aud", key.tokenUri().toString())
                .put("sub", subject)
                .put("iat", now.getEpochSecond())
                .put("exp", now.getEpochSecond() + 3600);
        String signingInput = B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key.privateKey());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new OAuthException(
                    "cannot sign the JWT of " + key + ": " + e.getClass().getSimpleName(), true, null);
        }
    }

    @Override
    public String endpoint() {
        return key.tokenUri().toString();
    }

    @Override
    public String toString() {
        return "JWT bearer grant of " + key + " for " + subject;
    }
}
