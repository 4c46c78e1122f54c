package io.mxcutover.sync.credential;

import java.util.Locale;
import java.util.Objects;

/**
 * How one side of a mailbox is logged into: the user name and either a password or an
 * OAuth2 bearer token (XOAUTH2). With a master user on the endpoint the secret may be empty:
 * the master's password is used and {@code user} becomes the SASL authorization id.
 */
public record Login(String user, Secret secret, Kind kind) {
    public enum Kind {
        PASSWORD,
        XOAUTH2;

        public static Kind of(String text) {
            if (text == null || text.isBlank()) {
                return PASSWORD;
            }
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "password", "plain", "login" -> PASSWORD;
                case "xoauth2", "oauth2", "oauth" -> XOAUTH2;
                default ->
                    throw new IllegalArgumentException(
                            "unknown authentication kind '" + text + "': use password or xoauth2");
            };
        }
    }

    public Login {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(kind, "kind");
        if (user.isBlank()) {
            throw new IllegalArgumentException("login name is empty");
        }
        user = user.trim();
    }

    public static Login password(String user, String password) {
        return new Login(user, Secret.of(password), Kind.PASSWORD);
    }
}
