package io.mxcutover.appliance.console;

import io.mxcutover.appliance.auth.ApiUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's logins: a random session id (the cookie) per login, kept in memory with the user and a
 * CSRF token, forgotten at logout, after {@link #IDLE} without a request, and at a restart (the user logs
 * in again). Neither id nor token is derived from the password.
 */
public final class ConsoleSessions {
    /** A session unused this long is over. */
    public static final Duration IDLE = Duration.ofHours(8);
    /** The cookie that carries the session id. */
    public static final String COOKIE = "mxcutover_session";

    /** A logged-in user; {@code csrfToken} must come back in {@code X-CSRF-Token} on every change. */
    public record Session(String id, ApiUser user, String csrfToken, Instant lastUsed) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    public Session open(ApiUser user) {
        expire();
        Session s = new Session(token(), user, token(), clock.instant());
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session of this id (its idle time restarts), empty when unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session s = sessions.computeIfPresent(
                id,
                (k, old) -> now.isAfter(old.lastUsed().plus(IDLE))
                        ? null
                        : new Session(old.id(), old.user(), old.csrfToken(), now));
        return Optional.ofNullable(s);
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Constant-time comparison of the token a request sent with the session's. */
    public static boolean csrfMatches(Session s, String sent) {
        return sent != null
                && MessageDigest.isEqual(
                        s.csrfToken().getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII));
    }

    private void expire() {
        Instant limit = clock.instant().minus(IDLE);
        sessions.values().removeIf(s -> s.lastUsed().isBefore(limit));
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
