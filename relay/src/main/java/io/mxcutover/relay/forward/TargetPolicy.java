package io.mxcutover.relay.forward;

import io.mxcutover.relay.forward.SmtpForwarder.OutboundTls;
import java.util.Objects;
import java.util.Optional;

/**
 * How the relay talks to one next hop: its STARTTLS level and, optionally, the credentials to
 * authenticate with (Postfix's {@code smtp_tls_policy_maps} and {@code smtp_sasl_password_maps}
 * for one destination). AUTH is only ever sent inside TLS: a policy with credentials always
 * requires STARTTLS, and {@code OFF} with credentials is refused here.
 *
 * @param password never logged: {@link #toString()} masks it
 */
public record TargetPolicy(OutboundTls tls, Optional<String> username, Optional<String> password) {

    public TargetPolicy {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        username = username.filter(u -> !u.isBlank());
        password = password.filter(p -> !p.isEmpty());
        if (username.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("a next hop's SMTP AUTH needs both username and password");
        }
        if (username.isPresent() && tls == OutboundTls.OFF) {
            throw new IllegalArgumentException("SMTP AUTH for user " + username.get()
                    + " is only sent over TLS; set the next hop's tls to required (or drop the credentials)");
        }
        if (username.isPresent()) {
            tls = OutboundTls.REQUIRED;
        }
    }

    /** STARTTLS level only, no AUTH. */
    public static TargetPolicy of(OutboundTls tls) {
        return new TargetPolicy(tls, Optional.empty(), Optional.empty());
    }

    /** STARTTLS required, then AUTH PLAIN or LOGIN with these credentials. */
    public static TargetPolicy authenticated(String username, String password) {
        return new TargetPolicy(OutboundTls.REQUIRED, Optional.of(username), Optional.of(password));
    }

    public boolean authenticates() {
        return username.isPresent();
    }

    @Override
    public String toString() {
        return "TargetPolicy[tls=" + tls + (username.isPresent() ? ", auth=" + username.get() + "/****" : "") + "]";
    }
}
