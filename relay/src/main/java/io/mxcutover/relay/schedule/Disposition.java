package io.mxcutover.relay.schedule;

import io.mxcutover.relay.forward.Bounces;
import io.mxcutover.relay.forward.Outcome;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.spool.DeliveryStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one delivery attempt means for a message: the fate of each recipient tried, the notices its
 * sender gets, and what becomes of the message. Pure ({@link #decide}); the scheduler logs the
 * fates, counts them, spools the notices and then removes or defers the file.
 *
 * <table>
 * <caption>Fate of one recipient ({@link #fate})</caption>
 * <tr><th>outcome</th><th>lifetime over</th><th>fate</th><th>status file</th><th>sender gets</th></tr>
 * <tr><td>Delivered</td><td>any</td><td>Sent</td><td>done delivered</td><td>nothing</td></tr>
 * <tr><td>Rejected</td><td>any</td><td>Bounced</td><td>done bounced</td><td>bounce, the reply's status</td></tr>
 * <tr><td>Deferred</td><td>yes</td><td>Expired</td><td>done bounced</td><td>bounce, 4.4.7</td></tr>
 * <tr><td>Deferred</td><td>no</td><td>Delayed</td><td>pending</td><td>delay warning once, after the
 * delay-warning time</td></tr>
 * </table>
 *
 * <p>The message is removed when every recipient of its envelope is done (now or in an earlier
 * attempt); otherwise it is retried at {@link RetrySchedule#nextAttempt} with the attempt counted,
 * the last outcome as its last reply, and the delay warning marked as sent when this attempt sends it.
 *
 * @param fates        the recipients tried, in the order of their outcomes
 * @param bounce       the lines of the bounce (RFC 3464 Action: failed) to send, empty for none
 * @param delayWarning the lines of the delay warning (Action: delayed) to send, empty for none
 */
public record Disposition(
        Map<MailAddress, Fate> fates, List<Bounces.Failure> bounce, List<Bounces.Failure> delayWarning, Next next) {

    public Disposition {
        fates = Collections.unmodifiableMap(new LinkedHashMap<>(fates));
        bounce = List.copyOf(bounce);
        delayWarning = List.copyOf(delayWarning);
        Objects.requireNonNull(next, "next");
    }

    /** What one recipient's outcome means at this moment. */
    public sealed interface Fate permits Sent, Bounced, Expired, Delayed {
        /** The outcome the fate was decided from. */
        Outcome outcome();
    }

    /** Delivered: done. */
    public record Sent(Outcome.Delivered outcome) implements Fate {}

    /** Refused for good: done, and a line in the bounce. */
    public record Bounced(Outcome.Rejected outcome, Bounces.Failure failure) implements Fate {}

    /** Deferred past the queue lifetime: done, and a 4.4.7 line in the bounce. */
    public record Expired(Outcome.Deferred outcome, Bounces.Failure failure) implements Fate {}

    /** Deferred: tried again later; {@code warning} is its line in a delay warning. */
    public record Delayed(Outcome.Deferred outcome, Bounces.Failure warning) implements Fate {}

    /** What becomes of the message file. */
    public sealed interface Next permits Remove, Retry {}

    /** Every recipient is done: remove the message. */
    public record Remove() implements Next {}

    /** Recipients are left: write {@code status} and defer until {@code status.nextAttempt()}. */
    public record Retry(DeliveryStatus status) implements Next {
        public Retry {
            Objects.requireNonNull(status, "status");
        }
    }

    /** The fate of {@code recipient} after {@code outcome}, for a message that arrived at {@code arrival}. */
    public static Fate fate(
            MailAddress recipient, Outcome outcome, Instant arrival, Instant now, RetrySchedule schedule) {
        if (outcome instanceof Outcome.Delivered d) {
            return new Sent(d);
        }
        if (outcome instanceof Outcome.Rejected r) {
            return new Bounced(
                    r,
                    new Bounces.Failure(
                            recipient, Bounces.status(r.reply()), r.reply().toString(), ""));
        }
        Outcome.Deferred d = (Outcome.Deferred) outcome;
        if (schedule.expired(arrival, now)) {
            return new Expired(
                    d,
                    new Bounces.Failure(
                            recipient,
                            "4.4.7",
                            "message expired after " + schedule.maxLifetime().toHours() + " hours; last problem: "
                                    + d.summary(),
                            ""));
        }
        return new Delayed(
                d, new Bounces.Failure(recipient, d.reply().map(Bounces::status).orElse("4.0.0"), d.summary(), ""));
    }

    /**
     * @param recipients every recipient of the envelope
     * @param status     the message's status before this attempt
     * @param outcomes   the outcome of each recipient tried in this attempt
     */
    public static Disposition decide(
            List<MailAddress> recipients,
            Instant arrival,
            DeliveryStatus status,
            Map<MailAddress, Outcome> outcomes,
            Instant now,
            RetrySchedule schedule) {
        Map<MailAddress, Fate> fates = new LinkedHashMap<>();
        Map<String, String> finished = new LinkedHashMap<>();
        List<Bounces.Failure> bounce = new ArrayList<>();
        List<Bounces.Failure> delays = new ArrayList<>();
        String lastReply = "";
        for (Map.Entry<MailAddress, Outcome> e : outcomes.entrySet()) {
            MailAddress r = e.getKey();
            Fate fate = fate(r, e.getValue(), arrival, now, schedule);
            fates.put(r, fate);
            lastReply = e.getValue().summary();
            if (fate instanceof Sent) {
                finished.put(r.toString(), "delivered");
            } else if (fate instanceof Bounced b) {
                finished.put(r.toString(), "bounced");
                bounce.add(b.failure());
            } else if (fate instanceof Expired x) {
                finished.put(r.toString(), "bounced");
                bounce.add(x.failure());
            } else {
                delays.add(((Delayed) fate).warning());
            }
        }
        DeliveryStatus next = status;
        List<Bounces.Failure> delayWarning = List.of();
        if (!delays.isEmpty() && !status.delayWarned() && schedule.delayWarningDue(arrival, now)) {
            delayWarning = delays;
            next = next.withDelayWarned();
        }
        next = next.withFinished(finished);
        DeliveryStatus after = next;
        if (recipients.stream().allMatch(r -> after.isFinished(r.toString()))) {
            return new Disposition(fates, bounce, delayWarning, new Remove());
        }
        Instant at = RetrySchedule.nextAttempt(next.attempts() + 1, arrival, now, schedule);
        return new Disposition(fates, bounce, delayWarning, new Retry(next.afterAttempt(at, lastReply)));
    }

    /** How many recipients met a fate of this kind. */
    public int count(Class<? extends Fate> kind) {
        return (int) fates.values().stream().filter(kind::isInstance).count();
    }
}
