package io.mxcutover.appliance.facts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sync's totals for one domain.
 *
 * @param known false when the sync is not wired (every other field is then empty or zero)
 * @param messagesCopied messages copied legacy -> new for the domain since its first sync, all mailboxes
 * @param lastNewOnLegacyAt the last time a pass found a message on legacy it had not copied yet; feeds the
 *     catch-up window's quiet period
 * @param errors one line per mailbox or folder that failed, naming it and what to do
 */
public record SyncSummary(
        boolean known, int mailboxes, long messagesCopied, Optional<Instant> lastNewOnLegacyAt, List<String> errors) {

    public static final SyncSummary UNKNOWN = new SyncSummary(false, 0, 0, Optional.empty(), List.of());

    public SyncSummary {
        if (mailboxes < 0 || messagesCopied < 0) {
            throw new IllegalArgumentException("sync counts must not be negative");
        }
        Objects.requireNonNull(lastNewOnLegacyAt, "lastNewOnLegacyAt");
        errors = List.copyOf(errors);
    }
}
