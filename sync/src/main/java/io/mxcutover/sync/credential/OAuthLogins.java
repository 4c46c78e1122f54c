package io.mxcutover.sync.credential;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The OAuth2 client of one server (a side of the sync): it turns a mailbox's {@code xoauth2}/{@code oauthbearer}
 * login into one whose tokens come from a {@link TokenCache}. A login without a secret gets the application's
 * own token (client credentials, one cache shared by every mailbox of the server: Microsoft 365's app-only
 * access); a login whose secret is set gets a token for that mailbox from its refresh token (one cache per
 * mailbox). A password login, or one that has its tokens already, is left as it is. Thread-safe.
 */
public final class OAuthLogins {
    private final OAuthClient client;
    private final Function<OAuthClient, TokenCache> caches;
    private final Map<String, TokenCache> byRefreshToken = new HashMap<>();
    private TokenCache application;

    /** {@code caches}: how a cache is made for a client (over HTTP in production, a test's grant in tests). */
    public OAuthLogins(OAuthClient client, Function<OAuthClient, TokenCache> caches) {
        this.client = Objects.requireNonNull(client, "client");
        this.caches = Objects.requireNonNull(caches, "caches");
        if (client.refreshToken().isPresent()) {
            throw new IllegalArgumentException(
                    "a server's OAuth2 client carries no refresh token: each mailbox gives its own");
        }
    }

    /** Over HTTP with {@code clock}, 30-second timeouts and the default refresh margin. */
    public static OAuthLogins of(OAuthClient client, Clock clock) {
        return new OAuthLogins(
                client,
                c -> new TokenCache(
                        HttpTokenGrant.of(c, clock, Duration.ofSeconds(30)), clock, TokenCache.DEFAULT_MARGIN));
    }

    public OAuthClient client() {
        return client;
    }

    /** {@code login} with its token source, when it is an OAuth2 login without one; else {@code login}. */
    public synchronized Login resolve(Login login) {
        if (!login.kind().bearer() || login.tokens().isPresent()) {
            return login;
        }
        TokenCache cache;
        if (login.secret().isEmpty()) {
            if (application == null) {
                application = caches.apply(client);
            }
            cache = application;
        } else {
            cache = byRefreshToken.computeIfAbsent(
                    login.user() + "\u0000" + login.secret().reveal(),
                    k -> caches.apply(client.withRefreshToken(login.secret())));
        }
        return Login.oauth(login.user(), login.kind(), cache);
    }

    @Override
    public String toString() {
        return client.toString();
    }
}
