package io.mxcutover.sync.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The state row of a mailbox, without its credentials: what the API and reports show. */
public record MailboxStatus(
        String address,
        Phase phase,
        Optional<String> reason,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt) {
    /**
     * AWAITING_USER: imported without a legacy password and no legacy master user; nothing is copied until the
     * user gives the password on the self-service page. PENDING: never synced. SYNCED: last pass copied everything. INCOMPLETE: some messages failed. FAILED: the mailbox could not be synced (login, connection). */
    public enum Phase {
        AWAITING_USER,
        PENDING,
        SYNCING,
        SYNCED,
        INCOMPLETE,
        FAILED
    }

    public MailboxStatus {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(phase, "phase");
    }
}
