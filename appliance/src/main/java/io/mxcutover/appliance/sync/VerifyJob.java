package io.mxcutover.appliance.sync;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A domain-wide verification as the API shows it: {@code running} until every mailbox of the domain was
 * verified (each result is stored as soon as it is known), then {@code done}.
 *
 * @param mailboxesClean mailboxes verified READY so far; the others are listed in the stored results
 */
public record VerifyJob(
        String domain,
        String state,
        String requestedBy,
        Instant startedAt,
        Optional<Instant> finishedAt,
        int mailboxesTotal,
        int mailboxesDone,
        int mailboxesClean) {

    public static final String RUNNING = "running";
    public static final String DONE = "done";

    public VerifyJob {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        finishedAt = finishedAt == null ? Optional.empty() : finishedAt;
    }

    public boolean running() {
        return state.equals(RUNNING);
    }
}
