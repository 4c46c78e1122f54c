package io.mxcutover.relay.schedule;

import io.mxcutover.relay.spool.DeliveryStatus;
import io.mxcutover.relay.spool.SpoolEntry;
import io.mxcutover.relay.spool.SpoolState;

/**
 * One spooled message as the scheduler tracks it: the directory its file is in, its delivery
 * status, and its {@link Phase} in the scheduler. Phase changes are synchronized on this object;
 * the spool state and status are written by the worker that holds the message or under the same
 * lock.
 */
final class ScheduledMessage {

    /**
     * Where a message is in the scheduler. An admin's retry, hold or delete that arrives during an
     * attempt waits for its end ({@code ATTEMPTING_THEN_*}); a later request replaces an earlier
     * one only when it goes further (delete over hold over retry).
     */
    enum Phase {
        /** Not offered to the workers: due later (the retry timer has it), on hold, or left in place. */
        WAITING,
        /** Offered to the workers, not yet taken. */
        READY,
        /** A worker is attempting delivery. */
        ATTEMPTING,
        /** Attempting; the admin asked for another attempt right after. */
        ATTEMPTING_THEN_RETRY,
        /** Attempting; the admin asked for a hold. */
        ATTEMPTING_THEN_HOLD,
        /** Attempting; the admin asked for a deletion. */
        ATTEMPTING_THEN_DELETE,
        /** Done, deleted, set aside or vanished: forgotten by the scheduler. */
        GONE;

        boolean attempting() {
            return this == ATTEMPTING
                    || this == ATTEMPTING_THEN_RETRY
                    || this == ATTEMPTING_THEN_HOLD
                    || this == ATTEMPTING_THEN_DELETE;
        }
    }

    private final SpoolEntry entry;
    private volatile SpoolState state;
    private volatile DeliveryStatus status;
    private Phase phase = Phase.WAITING;

    ScheduledMessage(SpoolEntry entry, SpoolState state, DeliveryStatus status) {
        this.entry = entry;
        this.state = state;
        this.status = status;
    }

    SpoolEntry entry() {
        return entry;
    }

    String id() {
        return entry.id().value();
    }

    SpoolState state() {
        return state;
    }

    DeliveryStatus status() {
        return status;
    }

    synchronized Phase phase() {
        return phase;
    }

    synchronized void moved(SpoolState to) {
        state = to;
    }

    synchronized void status(DeliveryStatus next) {
        status = next;
    }

    synchronized void moved(SpoolState to, DeliveryStatus next) {
        state = to;
        status = next;
    }

    /**
     * Asks for an attempt. True when the caller must offer the message to the workers; during an
     * attempt the request is kept for its end; on hold or gone it means nothing.
     */
    synchronized boolean ready() {
        if (phase == Phase.ATTEMPTING) {
            phase = Phase.ATTEMPTING_THEN_RETRY;
            return false;
        }
        if (phase != Phase.WAITING || state == SpoolState.HOLD) {
            return false;
        }
        phase = Phase.READY;
        return true;
    }

    /**
     * A worker took the message from the ready queue. True when it is to attempt it; false for an
     * offer that went stale (held, deleted, or already taken since).
     */
    synchronized boolean take() {
        if (phase != Phase.READY) {
            return false;
        }
        if (state == SpoolState.HOLD) {
            phase = Phase.WAITING;
            return false;
        }
        phase = Phase.ATTEMPTING;
        return true;
    }

    /** The attempt is over; returns the phase it ended in, so the caller can act on a pending request. */
    synchronized Phase attemptEnded() {
        Phase was = phase;
        if (phase.attempting()) {
            phase = Phase.WAITING;
        }
        return was;
    }

    /**
     * During an attempt, records the admin's {@code request} (one of the {@code ATTEMPTING_THEN_*}
     * phases) for its end and returns true; returns false when no attempt is going on.
     */
    synchronized boolean requestAfterAttempt(Phase request) {
        if (!phase.attempting()) {
            return false;
        }
        if (request.compareTo(phase) > 0) {
            phase = request;
        }
        return true;
    }

    synchronized void gone() {
        phase = Phase.GONE;
    }

    synchronized boolean isGone() {
        return phase == Phase.GONE;
    }
}
