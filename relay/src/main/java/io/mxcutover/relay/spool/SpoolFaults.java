package io.mxcutover.relay.spool;

import java.io.IOException;

/**
 * Fault-injection hook: called before each durable step so tests can fail it (throw) or halt
 * the JVM there (crash tests). Production uses {@link #NONE}.
 */
@FunctionalInterface
public interface SpoolFaults {

    enum Step {
        CREATE,
        WRITE,
        FORCE,
        RENAME,
        DIRECTORY_SYNC,
        STATUS_WRITE,
        DELETE
    }

    SpoolFaults NONE = (step, id) -> {};

    void before(Step step, SpoolId id) throws IOException;
}
