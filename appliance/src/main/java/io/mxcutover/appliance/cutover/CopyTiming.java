package io.mxcutover.appliance.cutover;

import java.util.Objects;
import java.util.Optional;

/**
 * The domain's history copy: how long the inventory estimated it would take, on what basis, and how long it
 * really took once every listed mailbox was copied.
 *
 * @param estimatedSeconds the inventory's estimate
 * @param basis where the rate came from, in words ({@code MEASURED}, {@code SAMPLE} or {@code DEFAULT}, and
 *     the figures)
 * @param state {@code not started}, {@code running} or {@code done}
 * @param actualSeconds from the first pass's start to the last listed mailbox's history copied; when done
 * @param ratio actual / estimate; when done
 * @param withinTolerance whether the actual is within the documented tolerance of the estimate; when done
 */
public record CopyTiming(
        double estimatedSeconds,
        String estimate,
        String basis,
        String state,
        Optional<Double> actualSeconds,
        Optional<String> actual,
        Optional<Double> ratio,
        Optional<Boolean> withinTolerance) {
    public CopyTiming {
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(state, "state");
        actualSeconds = actualSeconds == null ? Optional.empty() : actualSeconds;
        actual = actual == null ? Optional.empty() : actual;
        ratio = ratio == null ? Optional.empty() : ratio;
        withinTolerance = withinTolerance == null ? Optional.empty() : withinTolerance;
    }
}
