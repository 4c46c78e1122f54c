package io.mxcutover.relay.forward;

import io.mxcutover.relay.smtp.SmtpReply;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The one place that maps an SMTP reply or an I/O failure to an {@link Outcome}, in the manner
 * of Postfix's {@code smtp_trouble.c}. Pure.
 */
public final class DeliveryFailurePolicy {

    /** Which SMTP stage a reply belongs to. */
    public enum Scope {
        /** Connection, greeting, EHLO, STARTTLS, AUTH: about the target, not the message. */
        SESSION,
        /** MAIL FROM, DATA, end of data: about the message, for all its recipients at this target. */
        MESSAGE,
        /** RCPT TO: about one recipient. */
        RECIPIENT
    }

    private DeliveryFailurePolicy() {}

    /**
     * Classifies a reply.
     *
     * @param target     "host:port", for the log line
     * @param softBounce the route's safety net: permanent becomes deferred plus alert
     */
    public static Outcome classify(SmtpReply reply, Scope scope, String target, boolean softBounce) {
        if (reply.isPositive()) {
            return new Outcome.Delivered(target, reply);
        }
        if (reply.isTransient()) {
            return new Outcome.Deferred(describe(scope, target), Optional.of(reply), false);
        }
        if (scope == Scope.RECIPIENT && reply.code() == 552) {
            // RFC 5321 §4.5.3.1.10: 552 to RCPT means "too many recipients", a temporary condition.
            return new Outcome.Deferred(
                    describe(scope, target) + " (552 to RCPT treated as 452)", Optional.of(reply), false);
        }
        if (softBounce) {
            return new Outcome.Deferred(
                    "soft bounce: " + target + " refused permanently, message kept queued; "
                            + "fix the recipient on the target or turn soft bounce off for the domain",
                    Optional.of(reply),
                    true);
        }
        return new Outcome.Rejected(describe(scope, target), reply);
    }

    /**
     * The message needs SMTPUTF8 (the client declared it and an address or header is UTF-8) and the target
     * does not offer it: sending would mean another encoding of the address, so it is a permanent
     * failure with 5.6.7 (RFC 6531 §3.4, as Postfix reports it), and like any permanent failure a
     * deferral plus alert while the route's soft bounce is on. Not a reply of the target's: the
     * relay stopped after EHLO.
     */
    public static Outcome withoutSmtpUtf8(String target, boolean softBounce) {
        SmtpReply reply = SmtpReply.of(553, "5.6.7", "SMTPUTF8 is required, but was not offered by host " + target);
        if (softBounce) {
            return new Outcome.Deferred(
                    "soft bounce: " + target + " does not offer SMTPUTF8, which this message "
                            + "needs (a UTF-8 address or header), message kept queued; enable SMTPUTF8 on the target (Postfix: "
                            + "smtputf8_enable = yes) or turn soft bounce off for the domain to bounce it",
                    Optional.of(reply),
                    true);
        }
        return new Outcome.Rejected(
                target + " does not offer SMTPUTF8, which this message needs (a UTF-8 address or header)", reply);
    }

    /** Classifies a failure without a reply: connection refused, timeout, TLS, unknown error. */
    public static Outcome classify(Throwable failure, String target) {
        Throwable root = failure;
        for (int i = 0; i < 10 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        String what;
        if (root instanceof SocketTimeoutException || root instanceof InterruptedIOException) {
            what = "timed out talking to " + target;
        } else if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
            what = "cannot connect to " + target + " (" + root.getMessage() + ")";
        } else if (root instanceof UnknownHostException) {
            what = "host name of target " + target + " does not resolve";
        } else if (root instanceof SSLException) {
            what = "TLS with " + target + " failed (" + root.getMessage() + ")";
        } else if (root instanceof SocketException) {
            what = "connection to " + target + " lost (" + root.getMessage() + ")";
        } else {
            // Unknown errors are transient: retrying costs less than losing mail.
            what = "error delivering to " + target + ": " + root;
        }
        return Outcome.Deferred.of(what);
    }

    /**
     * Whether to try the route's next target instead of settling for this outcome: yes for
     * failures without a reply and for session-level trouble (a broken or unwilling server).
     */
    public static boolean tryNextTarget(Scope scope, Optional<SmtpReply> reply) {
        return reply.isEmpty() || (scope == Scope.SESSION && !reply.get().isPositive());
    }

    private static String describe(Scope scope, String target) {
        return switch (scope) {
            case SESSION -> target + " refused the session";
            case MESSAGE -> target + " refused the message";
            case RECIPIENT -> target + " refused the recipient";
        };
    }
}
