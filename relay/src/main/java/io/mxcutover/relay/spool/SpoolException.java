package io.mxcutover.relay.spool;

import java.io.IOException;

/** The spool could not store or update a message; intake answers 451, delivery retries later. */
public class SpoolException extends IOException {
    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }

    public SpoolException(String message) {
        super(message);
    }
}
