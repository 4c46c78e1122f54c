package io.mxcutover.appliance.batch;

/** A command the batch's state does not allow (or another admin's change came first); the message says what to do. */
public final class BatchRefused extends RuntimeException {
    public BatchRefused(String message) {
        super(message);
    }
}
