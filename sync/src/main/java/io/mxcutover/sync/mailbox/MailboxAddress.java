package io.mxcutover.sync.mailbox;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules a mailbox address must meet before anything is stored or logged in with it: a local part, one
 * {@code @}, a domain of dot-separated labels. The domain is what decides which servers may ever see the
 * mailbox's credentials, so an address without one is refused rather than guessed.
 */
public final class MailboxAddress {
    /** Labels of letters (any script), digits and hyphens; no empty label, no trailing dot. */
    private static final Pattern DOMAIN = Pattern.compile("[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?"
            + "(?:\\.[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?)*");

    private MailboxAddress() {}

    /** What is wrong with {@code address}, in an admin's words; empty when it is a usable mailbox address. */
    public static Optional<String> problem(String address) {
        String a = address == null ? "" : address.strip();
        if (a.isEmpty()) {
            return Optional.of("the address is empty");
        }
        if (a.length() > 320) {
            return Optional.of("the address is longer than 320 characters");
        }
        if (a.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("the address '" + a + "' contains a space or a control character");
        }
        int at = a.lastIndexOf('@');
        if (at < 0) {
            return Optional.of("the address '" + a + "' has no @domain");
        }
        if (at == 0) {
            return Optional.of("the address '" + a + "' has nothing before the @");
        }
        String domain = a.substring(at + 1);
        if (domain.isEmpty()) {
            return Optional.of("the address '" + a + "' has nothing after the @");
        }
        if (!DOMAIN.matcher(domain).matches()) {
            return Optional.of("the domain '" + domain + "' of '" + a + "' is not a domain name"
                    + " (letters, digits and hyphens, labels separated by single dots)");
        }
        return Optional.empty();
    }

    /** The lower-cased domain of a valid address ({@link #problem} empty). */
    public static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1).strip().toLowerCase(Locale.ROOT);
    }
}
