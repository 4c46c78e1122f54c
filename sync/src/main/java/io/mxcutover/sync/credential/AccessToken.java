package io.mxcutover.sync.credential;

import java.time.Instant;
import java.util.Objects;

/**
 * An access token as the token endpoint gave it, and when it stops being valid ({@link Instant#MAX} when the
 * endpoint said nothing: it is then used until a server refuses it). Its value is a {@link Secret}.
 */
public record AccessToken(Secret value, Instant expiresAt) {
    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("access token is empty");
        }
    }
}
