package io.mxcutover.sync.credential;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How one side of a mailbox is logged into: the user name and either a password or an OAuth2 bearer token,
 * presented by SASL XOAUTH2 or OAUTHBEARER (RFC 7628). The token is either fixed ({@code secret}, used as
 * given until it expires) or comes from {@code tokens}, a {@link TokenCache} that renews it before it expires
 * and after a server refused it. With a master user on the endpoint the secret may be empty: the master's
 * password is used and {@code user} becomes the SASL authorization id.
 */
public record Login(String user, Secret secret, Kind kind, Optional<TokenCache> tokens) {
    public enum Kind {
        PASSWORD,
        XOAUTH2,
        OAUTHBEARER;

        public static Kind of(String text) {
            if (text == null || text.isBlank()) {
                return PASSWORD;
            }
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "password", "plain", "login" -> PASSWORD;
                case "xoauth2", "oauth2", "oauth" -> XOAUTH2;
                case "oauthbearer" -> OAUTHBEARER;
                default ->
                    throw new IllegalArgumentException(
                            "unknown authentication kind '" + text + "': use password, xoauth2 or oauthbearer");
            };
        }

        /** An OAuth2 bearer-token mechanism (XOAUTH2, OAUTHBEARER). */
        public boolean bearer() {
            return this != PASSWORD;
        }

        /** The SASL mechanism name. */
        public String mechanism() {
            return this == PASSWORD ? "PLAIN" : name();
        }
    }

    public Login {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tokens, "tokens");
        if (user.isBlank()) {
            throw new IllegalArgumentException("login name is empty");
        }
        if (tokens.isPresent() && !kind.bearer()) {
            throw new IllegalArgumentException("an OAuth2 token source needs kind xoauth2 or oauthbearer, not " + kind);
        }
        user = user.trim();
    }

    /** A password or a fixed bearer token. */
    public Login(String user, Secret secret, Kind kind) {
        this(user, secret, kind, Optional.empty());
    }

    public static Login password(String user, String password) {
        return new Login(user, Secret.of(password), Kind.PASSWORD);
    }

    /** Tokens from {@code tokens}, presented with {@code mechanism} (XOAUTH2 or OAUTHBEARER). */
    public static Login oauth(String user, Kind mechanism, TokenCache tokens) {
        return new Login(user, Secret.of(""), mechanism, Optional.of(tokens));
    }
}
