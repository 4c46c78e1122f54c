package io.mxcutover.appliance.cutover;

import java.time.Duration;
import java.util.Objects;

/** What someone asks of a domain's cutover. Every command but {@link Tick} comes from an authenticated admin. */
public sealed interface Command {

    /** The name audit records give the appliance itself, for what {@link Tick} does. */
    String SYSTEM_USER = "mxcutover";

    /** Who asked: the authenticated user, or {@link #SYSTEM_USER}. */
    String user();

    /** Go live: the relay delivers to new from its next attempt. {@code force} overrides failing checks. */
    record Cutover(String reason, boolean force, String user) implements Command {
        public Cutover {
            reason = AdminText.reason(reason);
            user = Users.require(user);
        }
    }

    /** Back to legacy, allowed only while the catch-up window is still open. */
    record Rollback(String reason, String user) implements Command {
        public Rollback {
            reason = AdminText.reason(reason);
            user = Users.require(user);
        }
    }

    /** Complete the domain now; {@code force} closes a window that is still open. */
    record CloseWindow(boolean force, String user) implements Command {
        public CloseWindow {
            user = Users.require(user);
        }
    }

    /** Push the window's closing time later by {@code by}. */
    record ExtendWindow(Duration by, String user) implements Command {
        public ExtendWindow {
            Objects.requireNonNull(by, "by");
            if (by.isNegative() || by.isZero()) {
                throw new IllegalArgumentException("extend the window by a positive duration, got " + by);
            }
            user = Users.require(user);
        }
    }

    /** The periodic check that completes a domain once its window closed. */
    record Tick() implements Command {
        @Override
        public String user() {
            return SYSTEM_USER;
        }
    }
}
