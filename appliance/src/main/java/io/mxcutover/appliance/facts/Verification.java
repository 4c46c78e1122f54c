package io.mxcutover.appliance.facts;

import java.time.Instant;
import java.util.Objects;

/**
 * The last verification of one mailbox as the gate judges it: when it was taken, the verifier's verdict
 * ({@code READY}, {@code NOT_READY}, {@code UNREACHABLE}; any other word counts as "did not complete"), how
 * many folders it compared, what it found missing on new and what differed, and its own words.
 *
 * @param takenAt when the verification started: every fact in it is at least this recent
 * @param folders folders compared on both sides; 0 when it never got to compare (a server did not answer)
 * @param missing source messages not on new (content mismatches not included)
 * @param mismatched copies on new whose bytes differ from the source
 */
public record Verification(Instant takenAt, String verdict, int folders, long missing, long mismatched, String reason) {

    public static final String READY = "READY";
    public static final String NOT_READY = "NOT_READY";
    public static final String UNREACHABLE = "UNREACHABLE";

    public Verification {
        Objects.requireNonNull(takenAt, "takenAt");
        if (verdict == null || verdict.isBlank()) {
            throw new IllegalArgumentException("a verification needs its verdict");
        }
        if (folders < 0 || missing < 0 || mismatched < 0) {
            throw new IllegalArgumentException("verification counts must not be negative");
        }
        reason = reason == null ? "" : reason;
    }

    /** Both sides were read and compared and nothing was missing or different. Age is judged by the caller. */
    public boolean clean() {
        return READY.equals(verdict) && folders > 0 && missing == 0 && mismatched == 0;
    }
}
