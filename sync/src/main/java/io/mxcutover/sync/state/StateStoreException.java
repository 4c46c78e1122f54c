package io.mxcutover.sync.state;

/** The state store could not be read or written: the sync stops the mailbox rather than copy without a journal. */
public final class StateStoreException extends RuntimeException {
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
