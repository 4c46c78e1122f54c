package io.mxcutover.sync.time;

import java.time.Duration;

/**
 * How main code waits for a while: the one place it blocks for a duration, as {@link java.time.Clock} is the
 * one place it reads the time. {@link #SYSTEM} sleeps the thread; a test passes one that moves its test clock
 * instead ({@code clock::advance} of {@code io.mxcutover.it.MutableClock}), so a ten-minute throttle passes in
 * a method call.
 *
 * <p>Contract: returns once {@code duration} has passed, or at once when it is zero or negative; throws
 * {@link InterruptedException} when the thread is interrupted before or while it waits ({@link #SYSTEM} does),
 * so a wait the caller stops by interrupting stays stoppable. A caller that waits for a time on its clock
 * re-reads the clock after each sleep rather than trusting the sleep's length.
 *
 * <p>The appliance uses this type too (it depends on sync already), so the project has one sleeper.
 */
@FunctionalInterface
public interface Sleeper {
    /** {@link Thread#sleep}: real time, interruptible. */
    Sleeper SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
