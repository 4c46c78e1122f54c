package io.mxcutover.sync.mailbox;

import io.mxcutover.sync.credential.Login;
import java.util.Locale;
import java.util.Objects;

/**
 * One mailbox to move: its address (the key everywhere: state, API, reports; always
 * {@code local@domain}, see {@link MailboxAddress}) and how to log into it on the source (legacy)
 * and target (new) servers. Its domain decides which servers may ever see those logins.
 */
public record MailboxAccount(String address, Login source, Login target) {
    public MailboxAccount {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        address = address.trim().toLowerCase(Locale.ROOT);
        MailboxAddress.problem(address).ifPresent(p -> {
            throw new IllegalArgumentException("mailbox address: " + p);
        });
    }

    /** The lower-cased domain of the address. */
    public String domain() {
        return MailboxAddress.domainOf(address);
    }
}
