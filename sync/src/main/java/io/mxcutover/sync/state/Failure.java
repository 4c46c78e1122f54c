package io.mxcutover.sync.state;

import java.time.Instant;
import java.util.Objects;

/** A recorded failure: scope MESSAGE (uid > 0), FOLDER or MAILBOX, the server's words, attempts, next try. */
public record Failure(
        String mailbox,
        String sourceFolder,
        long sourceUidValidity,
        long sourceUid,
        String scope,
        String reason,
        int attempts,
        Instant firstFailedAt,
        Instant lastFailedAt,
        Instant nextAttemptAt) {
    public Failure {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        Objects.requireNonNull(reason, "reason");
    }
}
