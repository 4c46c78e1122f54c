package io.mxcutover.appliance.cutover;

import java.util.ArrayList;
import java.util.List;

/** The two preflight checks about mailboxes: history copied, and verification finding nothing missing. */
final class MailboxChecks {

    private MailboxChecks() {
    }

    static Check history(String domain, List<MailboxProgress> mailboxes) {
        if (mailboxes.isEmpty()) {
            return Check.fail(Check.HISTORY, "no mailbox of " + domain + " is in the migration plan; import"
                    + " the mailbox list, or pass force if the domain really has none");
        }
        List<String> unfinished = new ArrayList<>();
        for (MailboxProgress mailbox : mailboxes) {
            if (!mailbox.historyCopied()) {
                unfinished.add(mailbox.address());
            }
        }
        if (unfinished.isEmpty()) {
            return Check.pass(Check.HISTORY, "every mailbox (" + mailboxes.size() + ") finished its history copy");
        }
        return Check.fail(Check.HISTORY, unfinished.size() + " of " + mailboxes.size() + " mailboxes "
                + (unfinished.size() == 1 ? "has not finished its" : "have not finished their")
                + " history copy: " + AdminText.firstFew(unfinished));
    }

    static Check verification(List<MailboxProgress> mailboxes) {
        List<String> missing = new ArrayList<>();
        List<String> unverified = new ArrayList<>();
        long missingTotal = 0;
        for (MailboxProgress mailbox : mailboxes) {
            if (mailbox.missingOnNew().isEmpty()) {
                unverified.add(mailbox.address());
            } else if (mailbox.missingOnNew().getAsLong() > 0) {
                missingTotal += mailbox.missingOnNew().getAsLong();
                missing.add(mailbox.address() + " (" + mailbox.missingOnNew().getAsLong() + ")");
            }
        }
        if (missing.isEmpty() && unverified.isEmpty()) {
            return Check.pass(Check.VERIFICATION, "verification found nothing missing on new in "
                    + AdminText.count(mailboxes.size(), "mailbox", "mailboxes"));
        }
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add(AdminText.count(missingTotal, "message", "messages") + " missing on new in "
                    + AdminText.count(missing.size(), "mailbox", "mailboxes") + ": " + AdminText.firstFew(missing));
        }
        if (!unverified.isEmpty()) {
            parts.add("not verified yet: " + AdminText.firstFew(unverified));
        }
        return Check.fail(Check.VERIFICATION, String.join("; ", parts) + "; let the sync catch up and verify");
    }
}
