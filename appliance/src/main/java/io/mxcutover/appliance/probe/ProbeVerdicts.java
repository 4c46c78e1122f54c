package io.mxcutover.appliance.probe;

import io.mxcutover.appliance.cutover.AdminText;
import io.mxcutover.appliance.readiness.Check;
import java.time.Duration;
import java.util.List;

/**
 * Turns what the post-cutover probes found into checks an admin reads: pure, no I/O. The send/receive
 * test passes only when the message was read back from the new server; the credential check fails when
 * one mailbox with a known password cannot log in, or when it could not run (no source of passwords, or the
 * source failed), and is only a warning when the source positively knows no password.
 */
final class ProbeVerdicts {

    private ProbeVerdicts() {}

    /** How the send/receive test ended. */
    sealed interface Delivery {
        /** No probe mailbox in {@code cutover.probeMailboxes} for the domain. */
        record NotConfigured() implements Delivery {}

        /** Something the test needs is missing, e.g. the relay does not run or the plan has no new.imap. */
        record CannotRun(String why) implements Delivery {}

        /** The relay did not take the message: its reply or the connection error. */
        record NotSent(String relay, String answer) implements Delivery {}

        /** The message was sent, but the probe mailbox could not log in to look for it. */
        record LoginFailed(String mailbox, String server, String answer) implements Delivery {}

        record Found(String mailbox, String server, Duration after) implements Delivery {}

        record NotFound(String mailbox, String server, Duration waited, String relayReply) implements Delivery {}
    }

    static Check sendReceive(String domain, Delivery delivery) {
        String name = ProbeRun.SEND_RECEIVE;
        if (delivery instanceof Delivery.Found f) {
            return Check.pass(
                    name,
                    "a test message sent through the relay reached " + f.mailbox() + " on the new server " + f.server()
                            + " after " + seconds(f.after()));
        }
        if (delivery instanceof Delivery.NotFound n) {
            return Check.fail(
                    name,
                    "a test message sent through the relay (" + n.relayReply() + ") did not reach "
                            + n.mailbox() + " on the new server " + n.server() + " within " + AdminText.span(n.waited())
                            + "; look for it in GET /api/v1/queue and in the new server's mail log, and check the plan's"
                            + " new.smtp next hops");
        }
        if (delivery instanceof Delivery.LoginFailed l) {
            return Check.fail(
                    name,
                    "the test message was sent, but " + l.mailbox() + " cannot log in to "
                            + l.server() + " to look for it: " + l.answer()
                            + "; check newLogin and newPassword of that probe"
                            + " mailbox in cutover.probeMailboxes");
        }
        if (delivery instanceof Delivery.NotSent s) {
            return Check.fail(
                    name,
                    "the relay at " + s.relay() + " did not accept the test message for " + domain
                            + ": " + s.answer()
                            + "; check the relay (GET /api/v1/status) and that the probe address is a"
                            + " recipient the plan accepts");
        }
        if (delivery instanceof Delivery.CannotRun c) {
            return Check.fail(name, "the send/receive test for " + domain + " could not run: " + c.why());
        }
        return Check.warn(
                name,
                "no probe mailbox is configured for " + domain + ": add one under"
                        + " cutover.probeMailboxes (address, newLogin, newPassword) to test that mail reaches the new server");
    }

    /** The passwords could not be read (the credential source failed): the check did not run, which is red. */
    static Check credentialsUnknown(String domain, String why) {
        return Check.fail(
                ProbeRun.CREDENTIALS,
                "the new-server passwords of " + domain + " could not be read ("
                        + why + "): the credential check did not run, so nothing says users can log in; see the"
                        + " appliance's log and run the probes again (POST /api/v1/domains/" + domain + "/probes)");
    }

    /**
     * @param sourceWired false when nothing provides new-server passwords at all
     * @param known how many mailboxes of the domain have a known new-server password
     * @param tried the logins tried (fewer than {@code known} when the server stopped answering)
     */
    static Check credentials(String domain, boolean sourceWired, int known, List<ProbeRun.LoginResult> tried) {
        String name = ProbeRun.CREDENTIALS;
        if (!sourceWired) {
            return Check.fail(
                    name,
                    "the appliance knows no new-server passwords (the sync provides them): the"
                            + " credential check of " + domain + " did not run, so nothing says users can log in");
        }
        if (known == 0) {
            return Check.warn(
                    name, "no new-server password is known for any mailbox of " + domain + ": nothing to check");
        }
        List<String> refused = tried.stream()
                .filter(r -> !r.loggedIn())
                .map(r -> r.mailbox() + " (" + r.detail() + ")")
                .toList();
        int unchecked = known - tried.size();
        if (!refused.isEmpty()) {
            return Check.fail(
                    name,
                    AdminText.count(refused.size(), "mailbox", "mailboxes") + " of " + known
                            + " cannot log in to the new server: " + AdminText.firstFew(refused)
                            + (unchecked > 0 ? "; " + unchecked + " not checked" : "")
                            + "; users will see a password prompt: fix the passwords on the new server or in the mailbox list");
        }
        if (unchecked > 0) {
            return Check.fail(
                    name,
                    "only " + tried.size() + " of " + known + " mailboxes could be checked before the"
                            + " new server stopped answering; run the probes again (POST /api/v1/domains/" + domain
                            + "/probes)");
        }
        return Check.pass(
                name,
                "all " + AdminText.count(known, "mailbox", "mailboxes") + " with a known password"
                        + " logged in to the new server");
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
