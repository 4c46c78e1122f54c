package io.mxcutover.appliance.window;

import io.mxcutover.appliance.cutover.Users;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** An admin's extension of a catch-up window, kept by the store and fed back into every evaluation. */
public sealed interface WindowExtension {

    String user();

    /** Push the closing time later by {@code by}; several add up. */
    record By(Duration by, String user) implements WindowExtension {
        public By {
            Objects.requireNonNull(by, "by");
            if (by.isNegative() || by.isZero()) {
                throw new IllegalArgumentException("a window extension must be positive, got " + by);
            }
            user = Users.require(user);
        }
    }

    /** Keep the window open at least until {@code until}. */
    record Until(Instant until, String user) implements WindowExtension {
        public Until {
            Objects.requireNonNull(until, "until");
            user = Users.require(user);
        }
    }
}
