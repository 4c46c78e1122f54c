package io.mxcutover.appliance.selfservice;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The self-service page's logins: a random id (the cookie {@link #COOKIE}) per successful login, with the mailbox
 * it is for and a CSRF token, kept in memory; over after {@link #IDLE} without a request, at logout and at a
 * restart (the user logs in again with the old password). Nothing here is derived from the password.
 */
public final class SelfServiceSessions {
    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final String COOKIE = "mxcutover_migrate";

    /** One user's login: {@code csrfToken} must come back in {@code X-CSRF-Token} on a change (logout). */
    public record Session(String id, String address, String csrfToken, Instant lastUsed) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public SelfServiceSessions(Clock clock) {
        this.clock = clock;
    }

    public Session open(String address) {
        Instant limit = clock.instant().minus(IDLE);
        sessions.values().removeIf(s -> s.lastUsed().isBefore(limit));
        Session s = new Session(token(), address, token(), clock.instant());
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session of this id (its idle time restarts); empty when unknown or over. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return Optional.ofNullable(sessions.computeIfPresent(
                id,
                (k, old) -> now.isAfter(old.lastUsed().plus(IDLE))
                        ? null
                        : new Session(old.id(), old.address(), old.csrfToken(), now)));
    }

    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
