package io.mxcutover.sync.credential;

/**
 * Asks a token endpoint for a new access token. Over HTTP in production ({@link HttpTokenGrant}); a test gives
 * its own, so the {@link TokenCache}'s timing is tested without a network.
 */
public interface TokenGrant {
    /** A new access token; every call asks the endpoint again. */
    AccessToken fetch() throws OAuthException;

    /** The token endpoint, for messages (no secret in it). */
    String endpoint();
}
