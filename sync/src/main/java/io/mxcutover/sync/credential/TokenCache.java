package io.mxcutover.sync.credential;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Keeps the access token of one OAuth2 client (one side's application, or one mailbox's refresh token) and asks
 * for a new one before it expires: at {@code expiresAt - margin} (five minutes by default, at most half the
 * token's lifetime), by the injected clock. A server that refuses a token ({@link #rejected}) makes the next
 * {@link #token()} ask for a new one at once: a token revoked or expired early is replaced once, and the login
 * is tried again with it. When the early refresh fails, the current token is used while it is still valid.
 * Thread-safe: the sessions of many mailboxes share one cache when they share an application.
 *
 * <p>Its {@code toString} says where tokens come from and until when the current one is used, never the token.
 */
public final class TokenCache {
    public static final Duration DEFAULT_MARGIN = Duration.ofMinutes(5);

    private final TokenGrant grant;
    private final Clock clock;
    private final Duration margin;
    private AccessToken current;
    private Instant refreshAt = Instant.MIN;
    private long fetches;

    public TokenCache(TokenGrant grant, Clock clock, Duration margin) {
        this.grant = Objects.requireNonNull(grant, "grant");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.margin = Objects.requireNonNull(margin, "margin");
        if (margin.isNegative()) {
            throw new IllegalArgumentException("token refresh margin is negative");
        }
    }

    /** A cache over HTTP for {@code client} (30-second timeouts, the default margin). */
    public static TokenCache of(OAuthClient client, Clock clock) {
        return new TokenCache(HttpTokenGrant.of(client, clock, Duration.ofSeconds(30)), clock, DEFAULT_MARGIN);
    }

    /** A token valid for at least the margin (or until it expires, when a refresh failed). */
    public synchronized Secret token() throws OAuthException {
        Instant now = clock.instant();
        if (current != null && now.isBefore(refreshAt)) {
            return current.value();
        }
        try {
            AccessToken fresh = grant.fetch();
            fetches++;
            current = fresh;
            refreshAt = refreshAt(now, fresh.expiresAt(), margin);
            return fresh.value();
        } catch (OAuthException e) {
            if (current != null && now.isBefore(current.expiresAt())) {
                return current.value(); // an early refresh failed: the current token still works for a while
            }
            current = null;
            throw e;
        }
    }

    /** A server refused {@code token} (AUTHENTICATIONFAILED): the next {@link #token()} asks for a new one. */
    public synchronized void rejected(Secret token) {
        if (current != null && current.value().equals(token)) {
            current = null;
            refreshAt = Instant.MIN;
        }
    }

    /** The token endpoint, for messages. */
    public String endpoint() {
        return grant.endpoint();
    }

    /** How many tokens the endpoint has given this cache (for tests and metrics). */
    public synchronized long fetches() {
        return fetches;
    }

    /**
     * When a token issued at {@code issued} and valid until {@code expires} is replaced: {@code margin} before it
     * expires, but not before half its lifetime; never, when its lifetime is unknown ({@link Instant#MAX}).
     */
    static Instant refreshAt(Instant issued, Instant expires, Duration margin) {
        if (expires.equals(Instant.MAX)) {
            return Instant.MAX;
        }
        Duration lifetime = Duration.between(issued, expires);
        if (lifetime.isNegative() || lifetime.isZero()) {
            return issued;
        }
        Duration early = margin.compareTo(lifetime.dividedBy(2)) < 0 ? margin : lifetime.dividedBy(2);
        return expires.minus(early);
    }

    @Override
    public synchronized String toString() {
        return "access tokens from " + grant.endpoint()
                + (current == null ? " (none yet)" : " (current one used until " + refreshAt + ")");
    }
}
