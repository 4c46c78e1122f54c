package io.mxcutover.sync.engine;

/**
 * Test hook called at every {@link FaultPoint}. Production uses {@link #NONE}. A test throws
 * (typically an {@link Error}, which the sync never catches) to simulate a crash at that point.
 */
@FunctionalInterface
public interface FaultInjector {
    FaultInjector NONE = point -> {};

    void reached(FaultPoint point);
}
