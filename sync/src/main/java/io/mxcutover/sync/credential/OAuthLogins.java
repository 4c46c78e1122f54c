package io.mxcutover.sync.credential;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where one server's (a side's) OAuth2 tokens come from: it turns a mailbox's {@code xoauth2}/{@code oauthbearer}
 * login into one whose tokens come from a {@link TokenCache}. With an OAuth2 client ({@link #OAuthLogins}): a login
 * without a secret gets the application's own token (client credentials, one cache shared by every mailbox of the
 * server: Microsoft 365's app-only access); a login whose secret is set gets a token for that mailbox from its
 * refresh token (one cache per mailbox). With a Google service account ({@link #serviceAccount}): each mailbox gets
 * a token for itself by the JWT bearer grant (domain-wide delegation; one cache per mailbox). A password login, or
 * one that has its tokens already, is left as it is. Thread-safe.
 */
public final class OAuthLogins {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String description;
    private final Function<Login, String> cacheKey;
    private final Function<Login, TokenCache> newCache;
    private final Map<String, TokenCache> caches = new HashMap<>();

    private OAuthLogins(String description, Function<Login, String> cacheKey, Function<Login, TokenCache> newCache) {
        this.description = description;
        this.cacheKey = cacheKey;
        this.newCache = newCache;
    }

    /** {@code caches}: how a cache is made for a client (over HTTP in production, a test's grant in tests). */
    public OAuthLogins(OAuthClient client, Function<OAuthClient, TokenCache> caches) {
        this(
                Objects.requireNonNull(client, "client").toString(),
                login -> login.secret().isEmpty()
                        ? ""
                        : login.user() + "\u0000" + login.secret().reveal(),
                login -> caches.apply(login.secret().isEmpty() ? client : client.withRefreshToken(login.secret())));
        Objects.requireNonNull(caches, "caches");
        if (client.refreshToken().isPresent()) {
            throw new IllegalArgumentException(
                    "a server's OAuth2 client carries no refresh token: each mailbox gives its own");
        }
    }

    /**
     * Over HTTP with {@code clock}, 30-second timeouts and the default refresh margin; one HTTP client for all the
     * caches (a JDK client holds a thread: a thousand mailboxes with refresh tokens must not hold a thousand).
     */
    public static OAuthLogins of(OAuthClient client, Clock clock) {
        HttpClient http = http();
        return new OAuthLogins(
                client,
                c -> new TokenCache(new HttpTokenGrant(c, http, clock, TIMEOUT), clock, TokenCache.DEFAULT_MARGIN));
    }

    /** A Google service account acting for each mailbox (its login) with {@code scope}, over HTTP. */
    public static OAuthLogins serviceAccount(ServiceAccountKey key, String scope, Clock clock) {
        HttpClient http = http();
        return new OAuthLogins(
                key + " (jwt-bearer, scope " + scope + ")",
                Login::user,
                login -> new TokenCache(
                        new JwtBearerGrant(key, scope, login.user(), http, clock, TIMEOUT),
                        clock,
                        TokenCache.DEFAULT_MARGIN));
    }

    private static HttpClient http() {
        return HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** {@code login} with its token source, when it is an OAuth2 login without one; else {@code login}. */
    public synchronized Login resolve(Login login) {
        if (!login.kind().bearer() || login.tokens().isPresent()) {
            return login;
        }
        TokenCache cache = caches.computeIfAbsent(cacheKey.apply(login), k -> newCache.apply(login));
        return Login.oauth(login.user(), login.kind(), cache);
    }

    @Override
    public String toString() {
        return description;
    }
}
