package io.mxcutover.appliance.store;

/** The store could not do what was asked; the message says what, the cause says why. */
public final class StoreException extends RuntimeException {
    public StoreException(String what, Throwable cause) {
        super("state store failed " + what + ": " + cause.getMessage(), cause);
    }
}
