package io.mxcutover.appliance.cutover;

import java.util.Optional;

/**
 * What the final sync pass at cutover did for one mailbox: "anna@example.org: 3 additional messages".
 *
 * @param error why the pass failed for this mailbox; the catch-up window keeps syncing it anyway
 */
public record FinalPass(String mailbox, long additionalMessages, Optional<String> error) {

    public FinalPass {
        if (mailbox == null || mailbox.isBlank()) {
            throw new IllegalArgumentException("a final pass result needs the mailbox");
        }
        if (additionalMessages < 0) {
            throw new IllegalArgumentException("mailbox " + mailbox + ": additional messages must not be negative");
        }
        error = error == null ? Optional.empty() : error;
    }

    public static FinalPass copied(String mailbox, long additionalMessages) {
        return new FinalPass(mailbox, additionalMessages, Optional.empty());
    }

    public static FinalPass failed(String mailbox, long additionalMessages, String error) {
        return new FinalPass(mailbox, additionalMessages, Optional.of(error));
    }

    @Override
    public String toString() {
        return mailbox + ": " + AdminText.count(additionalMessages, "additional message", "additional messages")
                + error.map(e -> " (failed: " + e + ")").orElse("");
    }
}
