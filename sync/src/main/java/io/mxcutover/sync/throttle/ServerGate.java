package io.mxcutover.sync.throttle;

import io.mxcutover.sync.run.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One server's throttling state, shared by every mailbox on that server: when the server says
 * "slow down" (NO [LIMIT], [THROTTLED], "Suggested Backoff Time", a BYE), the gate closes until
 * a backoff that grows with each consecutive throttle (and honours the server's hint); no mailbox
 * sends the server a new command batch before it reopens. The first pass that gets through after
 * the gate reopened resets the count. Pure: the caller passes the clock's now.
 *
 * <p>Hosted servers (Office 365 above all) throttle per account and per tenant; one mailbox backing
 * off while the others keep hammering the same server only makes the server's penalty longer.
 */
public record ServerGate(int strikes, Instant closedUntil, String reason) {
    public static final ServerGate OPEN = new ServerGate(0, Instant.EPOCH, "");

    public ServerGate {
        Objects.requireNonNull(closedUntil, "closedUntil");
        Objects.requireNonNull(reason, "reason");
        if (strikes < 0) {
            throw new IllegalArgumentException("strikes must not be negative");
        }
    }

    /**
     * The server throttled us at {@code now}: close (or keep closed) the gate. A throttle seen while the
     * gate is already closed (another mailbox's command was in flight) does not count as a new strike.
     */
    public ServerGate throttled(Instant now, String serverText, Backoff backoff) {
        int n = now.isBefore(closedUntil) ? Math.max(strikes, 1) : strikes + 1;
        Instant until = backoff.next(n, now, serverText);
        return new ServerGate(
                n, until.isAfter(closedUntil) ? until : closedUntil, serverText == null ? "" : serverText);
    }

    /** A pass got through at {@code now}: once the gate is open, the next throttle starts from the base delay. */
    public ServerGate passed(Instant now) {
        if (strikes == 0 || now.isBefore(closedUntil)) {
            return this;
        }
        return new ServerGate(0, closedUntil, "");
    }

    /** How long a mailbox must wait at {@code now} before talking to the server; zero when open. */
    public Duration waitAt(Instant now) {
        return now.isBefore(closedUntil) ? Duration.between(now, closedUntil) : Duration.ZERO;
    }

    public boolean open(Instant now) {
        return !now.isBefore(closedUntil);
    }
}
