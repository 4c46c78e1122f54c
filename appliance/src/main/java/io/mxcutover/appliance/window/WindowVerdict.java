package io.mxcutover.appliance.window;

import io.mxcutover.appliance.cutover.AdminText;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The catch-up window of a domain at one instant.
 *
 * @param closesAt known only when {@code state} is {@link WindowState#OPEN} or {@link WindowState#CLOSED}
 * @param decidedBy the term that set {@code closesAt}, or that keeps it unknown
 * @param reason what an admin reads, e.g. "MX switch seen 2026-11-20T10:00Z on all authoritative servers + 48h"
 */
public record WindowVerdict(WindowState state, Optional<Instant> closesAt, WindowTerm decidedBy, String reason) {

    public WindowVerdict {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(closesAt, "closesAt");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(reason, "reason");
        boolean timed = state == WindowState.OPEN || state == WindowState.CLOSED;
        if (timed != closesAt.isPresent()) {
            throw new IllegalArgumentException(
                    "a " + state + " window " + (timed ? "needs" : "has no") + " closing time");
        }
    }

    /** For a domain that has not been cut over: there is no window yet. */
    public static WindowVerdict notStarted() {
        return new WindowVerdict(
                WindowState.NOT_STARTED, Optional.empty(), WindowTerm.CUTOVER, "not started: it starts at cutover");
    }

    public boolean closed() {
        return state == WindowState.CLOSED;
    }

    /** Reads after "catch-up window ": "open until 2026-11-22T10:00Z: MX switch seen ...", "will not complete: ...". */
    public String summary() {
        return switch (state) {
            case OPEN -> "open until " + AdminText.at(closesAt.orElseThrow()) + ": " + reason;
            case CLOSED -> "closed at " + AdminText.at(closesAt.orElseThrow()) + ": " + reason;
            case NOT_STARTED, WAITING_FOR_RESOLVERS, MX_SWITCH_NOT_SEEN -> reason;
        };
    }
}
