package io.mxcutover.appliance.facts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How far the sync got with one mailbox, as the readiness check needs it.
 *
 * @param historyCopied the history copy (everything on legacy when the mailbox was first synced) finished
 * @param verification the last stored verification; empty when the mailbox was never verified
 * @param awaitingUser imported without a legacy password: nothing is copied until its user logs in on the
 *     self-service page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MailboxProgress(
        String address, boolean historyCopied, Optional<Verification> verification, boolean awaitingUser) {

    public MailboxProgress(String address, boolean historyCopied, Optional<Verification> verification) {
        this(address, historyCopied, verification, false);
    }

    public MailboxProgress {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("a mailbox needs an address");
        }
        verification = verification == null ? Optional.empty() : verification;
    }

    /**
     * Messages the last verification found on legacy but not (correctly) on new; empty when it never ran or
     * did not get to compare. Shown in reports; the gate judges {@link #verification} instead.
     */
    @JsonProperty
    public OptionalLong missingOnNew() {
        return verification
                .filter(v -> v.folders() > 0)
                .map(v -> OptionalLong.of(v.missing() + v.mismatched()))
                .orElse(OptionalLong.empty());
    }

    /** A mailbox whose verification at {@code takenAt} compared both sides and found {@code missing} missing. */
    public static MailboxProgress verified(String address, boolean historyCopied, long missing, Instant takenAt) {
        if (missing < 0) {
            throw new IllegalArgumentException("mailbox " + address + ": missing count must not be negative");
        }
        return new MailboxProgress(
                address,
                historyCopied,
                Optional.of(new Verification(
                        takenAt,
                        missing == 0 ? Verification.READY : Verification.NOT_READY,
                        1,
                        missing,
                        0,
                        missing == 0 ? "every source message is on the target" : missing + " message(s) missing")));
    }

    public static MailboxProgress unverified(String address, boolean historyCopied) {
        return new MailboxProgress(address, historyCopied, Optional.empty());
    }
}
