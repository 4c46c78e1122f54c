package io.mxcutover.relay.forward;

import io.mxcutover.relay.smtp.SmtpReply;
import java.util.Objects;
import java.util.Optional;

/** What happened to one recipient in one delivery attempt. */
public sealed interface Outcome permits Outcome.Delivered, Outcome.Deferred, Outcome.Rejected {

    /** The target accepted the message for this recipient. */
    record Delivered(String target, SmtpReply reply) implements Outcome {
        public Delivered {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * Try again later. {@code alert} marks deferrals an admin must look at (soft-bounced 5xx,
     * a route pointing at ourselves, a domain without targets).
     */
    record Deferred(String reason, Optional<SmtpReply> reply, boolean alert) implements Outcome {
        public Deferred {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(reply, "reply");
        }

        public static Deferred of(String reason) {
            return new Deferred(reason, Optional.empty(), false);
        }

        public static Deferred alert(String reason) {
            return new Deferred(reason, Optional.empty(), true);
        }
    }

    /** Permanent failure: the sender gets a bounce (unless the sender is null). */
    record Rejected(String reason, SmtpReply reply) implements Outcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** One line for logs and the queue listing. */
    default String summary() {
        if (this instanceof Delivered d) {
            return "delivered to " + d.target() + ": " + d.reply();
        }
        if (this instanceof Deferred d) {
            return "deferred: " + d.reason()
                    + d.reply().map(r -> " (" + r + ")").orElse("");
        }
        Rejected r = (Rejected) this;
        return "rejected: " + r.reason() + " (" + r.reply() + ")";
    }
}
