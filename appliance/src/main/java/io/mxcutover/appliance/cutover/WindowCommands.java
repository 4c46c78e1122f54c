package io.mxcutover.appliance.cutover;

import static io.mxcutover.appliance.cutover.CutoverPhase.CATCHING_UP;
import static io.mxcutover.appliance.cutover.CutoverPhase.COMPLETED;
import static io.mxcutover.appliance.cutover.CutoverPhase.RELAYING;

import io.mxcutover.appliance.cutover.Transition.Changed;
import io.mxcutover.appliance.cutover.Transition.Grounds;
import io.mxcutover.appliance.cutover.Transition.Refused;
import io.mxcutover.appliance.cutover.Transition.Unchanged;
import io.mxcutover.appliance.cutover.Transition.WindowExtended;
import io.mxcutover.appliance.window.WindowVerdict;
import java.util.List;

/** The part of {@link CutoverMachine} about the catch-up window: close, extend, and the periodic tick. */
final class WindowCommands {

    private static final String NO_WINDOW_YET = " not allowed from RELAYING: the catch-up window starts at cutover";

    private WindowCommands() {}

    static Transition close(CutoverPhase current, Command.CloseWindow cmd, WindowVerdict window) {
        if (current == RELAYING) {
            return new Refused(current, Grounds.NOT_ALLOWED_IN_PHASE, "closing the window" + NO_WINDOW_YET, List.of());
        }
        if (current == COMPLETED) {
            return new Unchanged(current, "the catch-up window already closed; the domain is COMPLETED");
        }
        if (window.closed()) {
            return new Changed(
                    CATCHING_UP,
                    COMPLETED,
                    "completed on request of " + cmd.user() + ": catch-up window " + window.summary()
                            + "; sync for the domain stops");
        }
        if (!cmd.force()) {
            return new Refused(
                    current,
                    Grounds.WINDOW_STILL_OPEN,
                    "catch-up window " + window.summary() + "; pass force to close it now",
                    List.of());
        }
        return new Changed(
                CATCHING_UP,
                COMPLETED,
                "catch-up window closed early by " + cmd.user() + " with force (was: " + window.summary() + ")"
                        + "; sync for the domain stops");
    }

    static Transition extend(CutoverPhase current, Command.ExtendWindow cmd, WindowVerdict window) {
        if (current == RELAYING) {
            return new Refused(
                    current,
                    Grounds.NOT_ALLOWED_IN_PHASE,
                    "extending the window" + NO_WINDOW_YET + "; its length is set in the migration plan",
                    List.of());
        }
        if (current == COMPLETED) {
            return new Refused(
                    current,
                    Grounds.NOT_ALLOWED_IN_PHASE,
                    "extending the window not allowed from" + " COMPLETED: the window closed and sync stopped",
                    List.of());
        }
        return new WindowExtended(
                current,
                cmd.by(),
                "catch-up window extended by " + AdminText.span(cmd.by()) + " by " + cmd.user() + " (was: "
                        + window.summary() + ")");
    }

    static Transition tick(CutoverPhase current, WindowVerdict window) {
        if (current == RELAYING) {
            return new Unchanged(current, "not cut over; no catch-up window");
        }
        if (current == COMPLETED) {
            return new Unchanged(current, "completed; legacy may be switched off");
        }
        if (!window.closed()) {
            return new Unchanged(current, "catch-up window " + window.summary());
        }
        return new Changed(
                CATCHING_UP,
                COMPLETED,
                "completed by " + Command.SYSTEM_USER + ": catch-up window " + window.summary()
                        + "; sync for the domain stops; legacy may be switched off");
    }
}
