package io.mxcutover.appliance.readiness;

import io.mxcutover.appliance.cutover.AdminText;
import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.facts.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The two preflight checks about mailboxes: history copied, and a recent verification finding nothing missing. */
final class MailboxChecks {

    private MailboxChecks() {}

    static Check history(String domain, List<MailboxProgress> mailboxes, int outOfScope) {
        if (mailboxes.isEmpty() && outOfScope > 0) {
            return Check.fail(Check.HISTORY, noBatchStarted(domain, outOfScope));
        }
        if (mailboxes.isEmpty()) {
            return Check.fail(
                    Check.HISTORY,
                    "no mailbox of " + domain + " is in the migration plan; import"
                            + " the mailbox list, or pass force if the domain really has none");
        }
        List<String> unfinished = new ArrayList<>();
        List<String> awaiting = new ArrayList<>();
        for (MailboxProgress mailbox : mailboxes) {
            if (mailbox.awaitingUser()) {
                awaiting.add(mailbox.address());
            } else if (!mailbox.historyCopied()) {
                unfinished.add(mailbox.address());
            }
        }
        if (unfinished.isEmpty() && awaiting.isEmpty()) {
            return Check.pass(Check.HISTORY, "every mailbox (" + mailboxes.size() + ") finished its history copy");
        }
        List<String> parts = new ArrayList<>();
        if (!awaiting.isEmpty()) {
            parts.add(awaiting.size() + " of " + mailboxes.size() + " mailboxes "
                    + (awaiting.size() == 1 ? "awaits its user" : "await their users")
                    + " (no legacy password yet: the user logs in once on the self-service page /migrate/; list:"
                    + " GET /api/v1/domains/" + domain + "/mailboxes?state=AWAITING_USER): "
                    + AdminText.firstFew(awaiting));
        }
        if (!unfinished.isEmpty()) {
            parts.add(unfinished.size() + " of " + mailboxes.size() + " mailboxes "
                    + (unfinished.size() == 1 ? "has not finished its" : "have not finished their")
                    + " history copy: " + AdminText.firstFew(unfinished));
        }
        return Check.fail(Check.HISTORY, String.join("; ", parts));
    }

    /**
     * Green only on a positive, recent fact for every mailbox: a verification that read both sides, compared
     * at least one folder, found nothing missing and nothing different, and was taken at most {@code maxAge}
     * before {@code now}. Never verified, a server not reached, a verification that did not complete, one
     * older than the limit (or dated in the future beyond a minute of clock skew) are each red, with the
     * mailboxes named.
     */
    static Check verification(
            String domain, List<MailboxProgress> mailboxes, int outOfScope, Instant now, Duration maxAge) {
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> never = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        List<String> incomplete = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        long missingTotal = 0;
        long mismatchedTotal = 0;
        for (MailboxProgress mailbox : mailboxes) {
            String address = mailbox.address();
            if (mailbox.verification().isEmpty()) {
                never.add(address);
                continue;
            }
            Verification v = mailbox.verification().get();
            Duration age = Duration.between(v.takenAt(), now);
            if (v.verdict().equals(Verification.UNREACHABLE)) {
                unreachable.add(address + (v.reason().isBlank() ? "" : " (" + v.reason() + ")"));
            } else if ((!v.verdict().equals(Verification.READY) && !v.verdict().equals(Verification.NOT_READY))
                    || v.folders() == 0) {
                incomplete.add(address + " (" + v.verdict() + (v.reason().isBlank() ? "" : ": " + v.reason()) + ")");
            } else if (age.compareTo(maxAge) > 0) {
                stale.add(address + " (" + AdminText.span(age.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                        + " ago)");
            } else if (age.compareTo(CLOCK_SKEW.negated()) < 0) {
                stale.add(address + " (dated " + AdminText.at(v.takenAt()) + ", in the future: check the clock)");
            } else if (v.missing() > 0 || v.mismatched() > 0) {
                if (v.missing() > 0) {
                    missingTotal += v.missing();
                    missing.add(address + " (" + v.missing() + ")");
                }
                if (v.mismatched() > 0) {
                    mismatchedTotal += v.mismatched();
                    mismatched.add(address + " (" + v.mismatched() + ")");
                }
            } else if (!v.clean()) {
                incomplete.add(address + " (" + v.verdict() + (v.reason().isBlank() ? "" : ": " + v.reason()) + ")");
            }
        }
        if (mailboxes.isEmpty() && outOfScope > 0) {
            return Check.fail(Check.VERIFICATION, noBatchStarted(domain, outOfScope));
        }
        if (mailboxes.isEmpty()) {
            return Check.fail(
                    Check.VERIFICATION,
                    "no mailbox of " + domain + " is known, so nothing was verified;" + " import the mailbox list");
        }
        if (missing.isEmpty()
                && mismatched.isEmpty()
                && never.isEmpty()
                && unreachable.isEmpty()
                && incomplete.isEmpty()
                && stale.isEmpty()) {
            return Check.pass(
                    Check.VERIFICATION,
                    "verification of every mailbox ("
                            + mailboxes.size() + ") within the last " + AdminText.span(maxAge)
                            + " found nothing missing or different on new");
        }
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add(AdminText.count(missingTotal, "message", "messages") + " missing on new in "
                    + AdminText.count(missing.size(), "mailbox", "mailboxes") + ": " + AdminText.firstFew(missing));
        }
        if (!mismatched.isEmpty()) {
            parts.add(AdminText.count(mismatchedTotal, "copy differs", "copies differ") + " from the source bytes in "
                    + AdminText.count(mismatched.size(), "mailbox", "mailboxes") + ": "
                    + AdminText.firstFew(mismatched));
        }
        if (!unreachable.isEmpty()) {
            parts.add("verification could not reach a server for " + AdminText.firstFew(unreachable));
        }
        if (!incomplete.isEmpty()) {
            parts.add("verification did not complete for " + AdminText.firstFew(incomplete));
        }
        if (!stale.isEmpty()) {
            parts.add("verification older than the limit of " + AdminText.span(maxAge) + " (cutover.verificationMaxAge)"
                    + " for " + AdminText.firstFew(stale));
        }
        if (!never.isEmpty()) {
            parts.add("never verified: " + AdminText.firstFew(never));
        }
        return Check.fail(
                Check.VERIFICATION,
                String.join("; ", parts) + "; let the sync catch up and verify" + " (POST /api/v1/domains/" + domain
                        + "/verify)");
    }

    /**
     * Mailboxes are imported, but the scope {@code batches.readiness: started-batches} judges none of them: the
     * admin's fix is a batch, not an import.
     */
    private static String noBatchStarted(String domain, int outOfScope) {
        return "no batch of " + domain + " is started, and batches.readiness: started-batches judges only"
                + " mailboxes of started batches (" + AdminText.count(outOfScope, "mailbox is", "mailboxes are")
                + " in batches not started); start one (POST /api/v1/domains/" + domain
                + "/batches/{batch}/start) or set batches.readiness: all-mailboxes";
    }

    /** How far in the future a verification may be dated (another node's clock) and still count. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
}
