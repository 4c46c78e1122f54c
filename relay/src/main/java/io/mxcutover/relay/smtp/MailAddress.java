package io.mxcutover.relay.smtp;

import java.util.Locale;
import java.util.Objects;

/**
 * A validated mailbox {@code local@domain}. The domain is lower-case ASCII (IDNA A-labels);
 * the local part is kept as received (its case matters to some servers), quotes included.
 * Build one with {@link AddressSyntax#parseRecipient(String)} or {@link #of(String)}.
 */
public record MailAddress(String localPart, String domain) {

    public MailAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        if (localPart.isEmpty() || domain.isEmpty()) {
            throw new IllegalArgumentException("empty local part or domain");
        }
        if (!domain.equals(domain.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("domain must be lower case: " + domain);
        }
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character in local part");
            }
        }
    }

    /** Parses with the same strict rules as RCPT TO; throws on anything they refuse. */
    public static MailAddress of(String address) {
        AddressSyntax.Parsed parsed = AddressSyntax.parseRecipient(address);
        if (parsed instanceof AddressSyntax.Valid v) {
            return v.address();
        }
        throw new IllegalArgumentException(
                "not a plain mailbox address: " + address + " (" + ((AddressSyntax.Invalid) parsed).reply() + ")");
    }

    /** Local part with A-Z lower-cased (only those: {@link AddressSyntax#asciiLowerCase}), for comparisons. */
    public String canonicalLocalPart() {
        return AddressSyntax.asciiLowerCase(localPart);
    }

    public String canonical() {
        return canonicalLocalPart() + "@" + domain;
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
