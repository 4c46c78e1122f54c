package io.mxcutover.appliance.cutover;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * How far the sync got with one mailbox, as the readiness check needs it.
 *
 * @param historyCopied the history copy (everything on legacy when the mailbox was first synced) finished
 * @param missingOnNew messages the last verification found on legacy but not on new; empty when the
 *     mailbox was never verified
 */
public record MailboxProgress(String address, boolean historyCopied, OptionalLong missingOnNew) {

    public MailboxProgress {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("a mailbox needs an address");
        }
        Objects.requireNonNull(missingOnNew, "missingOnNew");
        if (missingOnNew.isPresent() && missingOnNew.getAsLong() < 0) {
            throw new IllegalArgumentException("mailbox " + address + ": missing count must not be negative");
        }
    }

    public static MailboxProgress verified(String address, boolean historyCopied, long missingOnNew) {
        return new MailboxProgress(address, historyCopied, OptionalLong.of(missingOnNew));
    }

    public static MailboxProgress unverified(String address, boolean historyCopied) {
        return new MailboxProgress(address, historyCopied, OptionalLong.empty());
    }
}
