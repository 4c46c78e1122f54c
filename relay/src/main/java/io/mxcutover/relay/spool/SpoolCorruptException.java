package io.mxcutover.relay.spool;

/**
 * A spool file is damaged: its bytes end early or fail the checksum of its trailer. Retrying
 * cannot help; the scheduler moves the message to {@code corrupt/} instead of deferring it.
 */
public class SpoolCorruptException extends SpoolException {
    public SpoolCorruptException(String message) {
        super(message);
    }
}
