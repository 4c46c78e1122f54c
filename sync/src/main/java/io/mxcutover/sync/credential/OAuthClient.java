package io.mxcutover.sync.credential;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth2 client (RFC 6749) that obtains the access tokens one side logs in with: the token endpoint, the
 * client's id and secret, the scope asked for and, for the refresh-token grant, the refresh token. Without a
 * refresh token the grant is client credentials (§4.4: an application token, e.g. Microsoft 365's
 * {@code IMAP.AccessAsApp}); with one it is refresh token (§6: a token a user or an admin consented to once).
 * Its {@code toString} names the endpoint, the client id and the grant, never the secret or the refresh token.
 */
public record OAuthClient(
        URI tokenEndpoint, String clientId, Secret clientSecret, String scope, Optional<Secret> refreshToken) {
    public enum Grant {
        CLIENT_CREDENTIALS("client_credentials"),
        REFRESH_TOKEN("refresh_token");

        private final String wire;

        Grant(String wire) {
            this.wire = wire;
        }

        /** The {@code grant_type} value sent to the token endpoint. */
        public String wire() {
            return wire;
        }
    }

    public OAuthClient {
        Objects.requireNonNull(tokenEndpoint, "token endpoint");
        Objects.requireNonNull(clientId, "client id");
        Objects.requireNonNull(clientSecret, "client secret");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(refreshToken, "refresh token");
        String scheme = tokenEndpoint.getScheme() == null
                ? ""
                : tokenEndpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(tokenEndpoint.getHost()))) {
            throw new IllegalArgumentException("OAuth2 token endpoint '" + tokenEndpoint
                    + "' must be https:// (http:// only on 127.0.0.1, ::1 or localhost, for tests)");
        }
        if (tokenEndpoint.getRawUserInfo() != null || tokenEndpoint.getRawQuery() != null) {
            throw new IllegalArgumentException(
                    "OAuth2 token endpoint must carry no user info and no query (give the client secret separately)");
        }
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("OAuth2 client id is empty");
        }
        clientId = clientId.strip();
        scope = scope.strip();
        refreshToken = refreshToken.filter(t -> !t.isEmpty());
    }

    /** Client credentials: the application's own token. */
    public static OAuthClient clientCredentials(URI tokenEndpoint, String clientId, Secret clientSecret, String scope) {
        return new OAuthClient(tokenEndpoint, clientId, clientSecret, scope, Optional.empty());
    }

    /** The same client with a (mailbox's) refresh token: the refresh-token grant. */
    public OAuthClient withRefreshToken(Secret token) {
        return new OAuthClient(tokenEndpoint, clientId, clientSecret, scope, Optional.of(token));
    }

    public Grant grant() {
        return refreshToken.isPresent() ? Grant.REFRESH_TOKEN : Grant.CLIENT_CREDENTIALS;
    }

    private static boolean isLoopback(String host) {
        return host != null
                && (host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1") || host.equals("localhost"));
    }

    @Override
    public String toString() {
        return "OAuth2 client " + clientId + " at " + tokenEndpoint + " (" + grant().wire() + ")";
    }
}
