package io.mxcutover.relay.spool;

/** The spool's file system is (nearly) full; intake answers 452 4.3.1. */
public class SpoolFullException extends SpoolException {
    public SpoolFullException(String message, Throwable cause) {
        super(message, cause);
    }

    public SpoolFullException(String message) {
        super(message);
    }
}
