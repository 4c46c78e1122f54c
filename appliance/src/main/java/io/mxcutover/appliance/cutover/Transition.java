package io.mxcutover.appliance.cutover;

import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.window.WindowExtension;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link CutoverMachine#apply} decided. The caller persists a {@link Changed} (new phase and audit
 * record) before acting on it, records a {@link WindowExtended}, and writes nothing for {@link Unchanged}
 * or {@link Refused}.
 */
public sealed interface Transition {

    /** The phase the domain is in once the caller has carried the transition out. */
    CutoverPhase phase();

    record Changed(CutoverPhase from, CutoverPhase to, String auditText) implements Transition {
        public Changed {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from == to) {
                throw new IllegalArgumentException("a change needs two different phases, got " + from);
            }
            AdminText.require(auditText, "audit text");
        }

        @Override
        public CutoverPhase phase() {
            return to;
        }
    }

    /** A repeat or a no-op: the domain already is where the command would take it. */
    record Unchanged(CutoverPhase current, String why) implements Transition {
        public Unchanged {
            Objects.requireNonNull(current, "current");
            AdminText.require(why, "why");
        }

        @Override
        public CutoverPhase phase() {
            return current;
        }
    }

    /** The window's closing time moves; the phase stays. The caller stores a {@link WindowExtension.By}. */
    record WindowExtended(CutoverPhase current, Duration by, String auditText) implements Transition {
        public WindowExtended {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(by, "by");
            AdminText.require(auditText, "audit text");
        }

        @Override
        public CutoverPhase phase() {
            return current;
        }
    }

    /** Not done. {@code failingChecks} is non-empty only for {@link Grounds#NOT_READY}. */
    record Refused(CutoverPhase current, Grounds grounds, String reason, List<Check> failingChecks)
            implements Transition {
        public Refused {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(grounds, "grounds");
            AdminText.require(reason, "reason");
            failingChecks = List.copyOf(Objects.requireNonNull(failingChecks, "failingChecks"));
        }

        @Override
        public CutoverPhase phase() {
            return current;
        }
    }

    /** Why a command was refused; all three are conflicts with the domain's current state (HTTP 409). */
    enum Grounds {
        /** The command makes no sense from this phase, e.g. rollback from COMPLETED. */
        NOT_ALLOWED_IN_PHASE,
        /** Preflight checks fail and the admin did not pass force. */
        NOT_READY,
        /** The window has not closed and the admin did not pass force. */
        WINDOW_STILL_OPEN
    }
}
