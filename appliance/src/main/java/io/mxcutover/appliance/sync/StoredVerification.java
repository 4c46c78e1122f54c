package io.mxcutover.appliance.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.mxcutover.appliance.facts.Verification;
import io.mxcutover.sync.verify.FolderVerdict;
import io.mxcutover.sync.verify.VerifyReport;
import java.time.Instant;
import java.util.Objects;

/**
 * The stored verification of one mailbox (table {@code mailbox_verification}): when it was taken, by whom,
 * the verifier's verdict and words, the counts the gate judges, and the verifier's whole report as JSON.
 *
 * @param takenAt when the verification started
 * @param missing source messages not on new (content mismatches not included)
 * @param mismatched copies on new whose bytes differ from the source
 * @param deletedOnTarget copied, then deleted by the user on new: deliberately not copied again, not missing
 * @param datesNotKept on new, but with another date than on legacy (the new server did not keep it): a warning
 * @param normalized copies whose bytes the new server canonicalised (bare CR/LF, NUL): on new, not missing
 * @param detail the verifier's report (per folder: counts, what is missing and why); null in lists
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredVerification(
        String mailbox,
        String domain,
        Instant takenAt,
        Instant finishedAt,
        String requestedBy,
        String verdict,
        String reason,
        int folders,
        long sourceMessages,
        long targetMessages,
        long missing,
        long mismatched,
        long deletedOnTarget,
        long datesNotKept,
        long normalized,
        JsonNode detail) {

    public StoredVerification {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(verdict, "verdict");
        reason = reason == null ? "" : reason;
    }

    /** The counts of a verifier's report; {@code detail} is its JSON. */
    static StoredVerification of(
            VerifyReport r, String domain, Instant takenAt, Instant finishedAt, String requestedBy, JsonNode detail) {
        long mismatched =
                r.folders().stream().mapToLong(FolderVerdict::hashMismatches).sum();
        // The verifier lists a content mismatch among the missing too; counted once, as a mismatch.
        long missing = Math.max(0, r.missing().size() - mismatched);
        return new StoredVerification(
                r.address(),
                domain,
                takenAt,
                finishedAt,
                requestedBy,
                r.verdict().name(),
                r.reason(),
                r.folders().size(),
                r.folders().stream().mapToLong(FolderVerdict::sourceMessages).sum(),
                r.folders().stream().mapToLong(FolderVerdict::targetMessages).sum(),
                missing,
                mismatched,
                r.deletedOnTarget(),
                r.datesNotKept(),
                r.folders().stream().mapToLong(f -> f.normalized().size()).sum(),
                detail);
    }

    /** What the readiness gate judges. */
    public Verification fact() {
        return new Verification(takenAt, verdict, folders, missing, mismatched, reason);
    }

    StoredVerification withoutDetail() {
        return new StoredVerification(
                mailbox,
                domain,
                takenAt,
                finishedAt,
                requestedBy,
                verdict,
                reason,
                folders,
                sourceMessages,
                targetMessages,
                missing,
                mismatched,
                deletedOnTarget,
                datesNotKept,
                normalized,
                null);
    }
}
