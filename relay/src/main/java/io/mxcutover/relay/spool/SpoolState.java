package io.mxcutover.relay.spool;

/** The queue directories; a message's state is the directory its file is in. */
public enum SpoolState {
    INCOMING("incoming"),
    ACTIVE("active"),
    DEFERRED("deferred"),
    HOLD("hold"),
    CORRUPT("corrupt");

    private final String directory;

    SpoolState(String directory) {
        this.directory = directory;
    }

    public String directory() {
        return directory;
    }
}
