package io.mxcutover.sync.credential;

import java.util.Objects;

/**
 * The token endpoint gave no token. {@link #refused()}: it answered with an OAuth2 error (RFC 6749 §5.2:
 * {@code invalid_client}, {@code invalid_grant}, ...), which needs the admin; otherwise it could not be reached
 * or failed (5xx, 429, timeout), which is retried later. The message names the endpoint and the server's
 * error code and description, never a secret.
 */
public final class OAuthException extends Exception {
    private final boolean refused;

    public OAuthException(String message, boolean refused, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.refused = refused;
    }

    /** The endpoint refused this client or grant (fix the configuration); false: try again later. */
    public boolean refused() {
        return refused;
    }
}
