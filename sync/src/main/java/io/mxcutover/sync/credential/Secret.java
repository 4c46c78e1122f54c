package io.mxcutover.sync.credential;

import java.util.Objects;

/**
 * A password or OAuth2 bearer token. Its {@code toString} is redacted so that a secret
 * printed by accident (log line, exception message, record toString) shows nothing.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "secret");
    }

    public static Secret of(String value) {
        return new Secret(value == null ? "" : value);
    }

    /** The clear text, for the one place that needs it: the IMAP login. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "***";
    }
}
