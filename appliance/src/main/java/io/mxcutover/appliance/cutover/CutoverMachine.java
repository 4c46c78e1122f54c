package io.mxcutover.appliance.cutover;

import static io.mxcutover.appliance.cutover.CutoverPhase.CATCHING_UP;
import static io.mxcutover.appliance.cutover.CutoverPhase.COMPLETED;
import static io.mxcutover.appliance.cutover.CutoverPhase.RELAYING;

import io.mxcutover.appliance.cutover.Transition.Changed;
import io.mxcutover.appliance.cutover.Transition.Grounds;
import io.mxcutover.appliance.cutover.Transition.Refused;
import io.mxcutover.appliance.cutover.Transition.Unchanged;
import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.readiness.CheckState;
import io.mxcutover.appliance.readiness.Readiness;
import io.mxcutover.appliance.window.WindowVerdict;
import java.util.List;
import java.util.Objects;

/**
 * The per-domain cutover state machine as one pure function:
 * {@code RELAYING -cutover-> CATCHING_UP -window closes-> COMPLETED}, and {@code CATCHING_UP -rollback->
 * RELAYING}. Repeating a command whose effect already holds returns {@link Unchanged}, never an error.
 * {@code readiness} is consulted only by a cutover from RELAYING, {@code window} only in CATCHING_UP; pass
 * {@link Readiness#notEvaluated()} / {@link WindowVerdict#notStarted()} when the caller has nothing better.
 */
public final class CutoverMachine {

    private CutoverMachine() {}

    public static Transition apply(CutoverPhase current, Command cmd, Readiness readiness, WindowVerdict window) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(cmd, "cmd");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(window, "window");
        if (cmd instanceof Command.Cutover cutover) {
            return cutover(current, cutover, readiness, window);
        }
        if (cmd instanceof Command.Rollback rollback) {
            return rollback(current, rollback);
        }
        if (cmd instanceof Command.CloseWindow close) {
            return WindowCommands.close(current, close, window);
        }
        if (cmd instanceof Command.ExtendWindow extend) {
            return WindowCommands.extend(current, extend, window);
        }
        if (cmd instanceof Command.Tick) {
            return WindowCommands.tick(current, window);
        }
        throw new IllegalStateException("unknown command " + cmd);
    }

    private static Transition cutover(
            CutoverPhase current, Command.Cutover cmd, Readiness readiness, WindowVerdict window) {
        if (current == CATCHING_UP) {
            return new Unchanged(current, "already cut over; catch-up window " + window.summary());
        }
        if (current == COMPLETED) {
            return new Unchanged(current, "already cut over and completed; legacy may be switched off");
        }
        List<Check> failing = readiness.failing();
        if (!failing.isEmpty() && !cmd.force()) {
            return new Refused(
                    current,
                    Grounds.NOT_READY,
                    "cutover refused: "
                            + AdminText.count(failing.size(), "check fails", "checks fail") + " ("
                            + String.join(
                                    ", ", failing.stream().map(Check::name).toList())
                            + "); fix them, or pass force to cut over anyway",
                    failing);
        }
        String audit = "cutover by " + cmd.user() + (cmd.force() ? " with force" : "") + ": "
                + AdminText.quoted(cmd.reason()) + "; " + preflight(readiness)
                + "; the relay delivers to new from its next attempt";
        return new Changed(RELAYING, CATCHING_UP, audit);
    }

    private static Transition rollback(CutoverPhase current, Command.Rollback cmd) {
        if (current == RELAYING) {
            return new Unchanged(current, "not cut over; the relay already delivers to legacy");
        }
        if (current == COMPLETED) {
            return new Refused(
                    current,
                    Grounds.NOT_ALLOWED_IN_PHASE,
                    "rollback not allowed from COMPLETED: the"
                            + " catch-up window closed and sync stopped; legacy may already be switched off",
                    List.of());
        }
        // The sync only copies legacy -> new: what new received since cutover is not on legacy.
        return new Changed(
                CATCHING_UP,
                RELAYING,
                "rollback by " + cmd.user() + ": "
                        + AdminText.quoted(cmd.reason()) + "; the relay delivers to legacy again from its next attempt;"
                        + " messages delivered to new since cutover stay on new only");
    }

    /** "preflight passed (warnings: dns)" or "forced past failing checks: history FAIL: ...; ...". */
    private static String preflight(Readiness readiness) {
        List<Check> failing = readiness.failing();
        if (!failing.isEmpty()) {
            return "forced past failing checks: "
                    + String.join("; ", failing.stream().map(Check::toString).toList());
        }
        List<String> warnings = readiness.checks().stream()
                .filter(check -> check.state() == CheckState.WARN)
                .map(Check::name)
                .toList();
        return warnings.isEmpty()
                ? "preflight passed"
                : "preflight passed (warnings: " + String.join(", ", warnings) + ")";
    }
}
