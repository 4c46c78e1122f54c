package io.mxcutover.sync.run;

import io.mxcutover.sync.imap.ImapException;
import java.util.Objects;

/**
 * The one place that decides what a failure means: which scope it stops (one message, one
 * folder, the mailbox, every mailbox on that server) and when to retry. Unknown failures are
 * transient: retrying costs less than giving up on mail.
 */
public final class SyncFailurePolicy {
    public enum Scope {
        MESSAGE,
        FOLDER,
        MAILBOX,
        SERVER
    }

    public enum Retry {
        LATER,
        AFTER_RECONFIGURATION
    }

    public record Disposition(Scope scope, Retry retry) {
        public Disposition {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(retry, "retry");
        }
    }

    /** Where the failure happened. */
    public enum Operation {
        LOGIN,
        FOLDER,
        APPEND_ONE,
        OTHER
    }

    private SyncFailurePolicy() {}

    public static Disposition classify(Throwable failure, Operation operation) {
        if (failure instanceof ImapException e) {
            return switch (e.kind()) {
                case AUTHENTICATION -> new Disposition(Scope.MAILBOX, Retry.AFTER_RECONFIGURATION);
                case THROTTLED -> new Disposition(Scope.SERVER, Retry.LATER);
                case CONNECTION -> new Disposition(Scope.MAILBOX, Retry.LATER);
                case REFUSED ->
                    switch (operation) {
                        case APPEND_ONE -> new Disposition(Scope.MESSAGE, Retry.LATER);
                        case LOGIN -> new Disposition(Scope.MAILBOX, Retry.AFTER_RECONFIGURATION);
                        default -> new Disposition(Scope.FOLDER, Retry.LATER);
                    };
                case PROTOCOL ->
                    new Disposition(operation == Operation.APPEND_ONE ? Scope.MESSAGE : Scope.FOLDER, Retry.LATER);
            };
        }
        return new Disposition(Scope.MAILBOX, Retry.LATER);
    }
}
