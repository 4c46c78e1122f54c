package io.mxcutover.appliance.hook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One run of one hook: what it ran for, how it ended, its exit code (none when it timed out or did not
 * start) and the start of its output (stdout and stderr together).
 */
public record HookRun(
        String hook,
        List<String> command,
        HookContext context,
        Instant startedAt,
        Duration took,
        Outcome outcome,
        OptionalInt exitCode,
        String output) {
    /** OK: exit 0. FAILED: another exit code. TIMED_OUT: killed at its timeout. NOT_STARTED: could not be run. */
    public enum Outcome {
        OK,
        FAILED,
        TIMED_OUT,
        NOT_STARTED
    }

    public HookRun {
        Objects.requireNonNull(hook, "hook");
        command = List.copyOf(command);
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(outcome, "outcome");
        output = output == null ? "" : output;
    }

    public boolean failed() {
        return outcome != Outcome.OK;
    }

    /** For the log and the audit line's reason. */
    public String verdict() {
        return switch (outcome) {
            case OK -> "exit 0";
            case FAILED -> "failed with exit " + exitCode.orElse(-1);
            case TIMED_OUT -> "timed out after " + took.toSeconds() + " s and was killed";
            case NOT_STARTED -> "could not start: " + output;
        };
    }
}
