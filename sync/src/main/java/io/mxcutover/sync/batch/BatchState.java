package io.mxcutover.sync.batch;

import java.util.Objects;

/**
 * Where a batch is, and what each admin command does there ({@link #apply}, pure). {@link #copies()}: its
 * mailboxes are synced; {@link #started()}: the admin has begun it (the readiness scope "started batches").
 */
public enum BatchState {
    NEW,
    STARTED,
    PAUSED,
    COMPLETED;

    /** What an admin asks of a batch. */
    public enum Command {
        START,
        PAUSE,
        RESUME,
        COMPLETE
    }

    /**
     * The answer to a command. {@code changed}: the state moves to {@code to} (persist it and audit);
     * {@code refused}: {@code reason} says why and what to do instead. A command that finds the batch where it
     * would take it is neither (idempotent), except COMPLETE, which runs the final pass again.
     */
    public record Outcome(BatchState to, boolean changed, boolean refused, String reason) {
        public Outcome {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }

        static Outcome move(BatchState to) {
            return new Outcome(to, true, false, "");
        }

        static Outcome stay(BatchState at, String reason) {
            return new Outcome(at, false, false, reason);
        }

        static Outcome refuse(BatchState at, String reason) {
            return new Outcome(at, false, true, reason);
        }

        /** Whether the final pass runs (COMPLETE, changed or again). */
        public boolean finalPass() {
            return to == COMPLETED && !refused;
        }
    }

    public boolean copies() {
        return this == STARTED || this == COMPLETED;
    }

    public boolean started() {
        return this != NEW;
    }

    public Outcome apply(Command command) {
        return switch (command) {
            case START ->
                switch (this) {
                    case NEW -> Outcome.move(STARTED);
                    case STARTED -> Outcome.stay(this, "already started");
                    case PAUSED -> Outcome.refuse(this, "the batch is paused; resume it");
                    case COMPLETED ->
                        Outcome.refuse(
                                this,
                                "the batch is completed; its mailboxes are caught up until"
                                        + " the domain's catch-up window closes");
                };
            case PAUSE ->
                switch (this) {
                    case STARTED -> Outcome.move(PAUSED);
                    case PAUSED -> Outcome.stay(this, "already paused");
                    case NEW ->
                        Outcome.refuse(this, "the batch was never started, so nothing is copied; nothing to pause");
                    case COMPLETED ->
                        Outcome.refuse(
                                this,
                                "the batch is completed; its mailboxes are caught up until"
                                        + " the domain's catch-up window closes");
                };
            case RESUME ->
                switch (this) {
                    case PAUSED -> Outcome.move(STARTED);
                    case STARTED -> Outcome.stay(this, "already running");
                    case NEW -> Outcome.refuse(this, "the batch was never started; start it");
                    case COMPLETED ->
                        Outcome.refuse(
                                this,
                                "the batch is completed; its mailboxes are caught up until"
                                        + " the domain's catch-up window closes");
                };
            case COMPLETE ->
                switch (this) {
                    case STARTED, PAUSED -> Outcome.move(COMPLETED);
                    case COMPLETED -> Outcome.stay(this, "already completed; the final pass runs again");
                    case NEW ->
                        Outcome.refuse(
                                this,
                                "the batch was never started, so its history is not copied;"
                                        + " start it and complete it when its mailboxes have copied their history");
                };
        };
    }
}
