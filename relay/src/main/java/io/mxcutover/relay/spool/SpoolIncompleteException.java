package io.mxcutover.relay.spool;

/**
 * A spool file ends before its END trailer: it was cut short before it reached the disk (the
 * relay forces the whole file, trailer included, before it answers 250), so its sender was not
 * told 250. Recovery sets it aside as {@link SetAside.Kind#INCOMPLETE}.
 */
public class SpoolIncompleteException extends SpoolException {
    public SpoolIncompleteException(String message) {
        super(message);
    }
}
