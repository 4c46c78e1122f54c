package io.mxcutover.sync.mailbox;

import java.util.Locale;
import java.util.Objects;

/**
 * One mailbox to move: its address (the key everywhere: state, API, reports) and how to log
 * into it on the source (legacy) and target (new) servers.
 */
public record MailboxAccount(String address, Login source, Login target) {
    public MailboxAccount {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        address = address.trim().toLowerCase(Locale.ROOT);
        if (address.isEmpty() || address.length() > 320) {
            throw new IllegalArgumentException("mailbox address is empty or longer than 320 characters");
        }
    }
}
