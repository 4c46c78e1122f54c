package io.mxcutover.it;

import java.util.Objects;

/**
 * A mailbox user of a test Dovecot.
 *
 * @param address {@code login@example.test}
 */
public record TestUser(String login, String password, String address) {

    public TestUser {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(address, "address");
    }

    /** Without the password: test reports and logs show this. */
    @Override
    public String toString() {
        return "TestUser[" + login + " <" + address + ">]";
    }
}
