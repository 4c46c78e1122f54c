package io.mxcutover.appliance.readiness;

import java.util.Objects;

/**
 * One preflight check for a cutover, e.g. {@code history FAIL "2 of 40 mailboxes have not finished their
 * history copy: a@example.org, b@example.org"}.
 *
 * @param name a stable identifier, one of the constants below, used by the API and the audit log
 */
public record Check(String name, CheckState state, String reason) {

    public static final String HISTORY = "history";
    public static final String VERIFICATION = "verification";
    public static final String NEW_SMTP = "new-smtp";
    public static final String NEW_IMAP = "new-imap";
    public static final String RELAY_QUEUE = "relay-queue";
    public static final String DNS = "dns";
    /** Stands in for the whole preflight when the caller did not run it. */
    public static final String PREFLIGHT = "preflight";

    public Check {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a check needs a name");
        }
        Objects.requireNonNull(state, "state");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("check " + name + " needs a reason an admin can read");
        }
    }

    public boolean failed() {
        return state == CheckState.FAIL;
    }

    public static Check pass(String name, String reason) {
        return new Check(name, CheckState.PASS, reason);
    }

    public static Check warn(String name, String reason) {
        return new Check(name, CheckState.WARN, reason);
    }

    public static Check fail(String name, String reason) {
        return new Check(name, CheckState.FAIL, reason);
    }

    /** "history: 2 of 40 mailboxes ..." for audit text and refusals. */
    @Override
    public String toString() {
        return name + " " + state + ": " + reason;
    }
}
