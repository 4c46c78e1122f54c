package io.mxcutover.sync.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of an inventory: per mailbox what legacy holds and how it lands on new, the totals per domain,
 * the new server's APPENDLIMIT (when it announces one) and how long the history copy should take.
 * {@code overAppendLimit} counts, per mailbox, every message over the limit ({@link MailboxInventory} names
 * the 50 largest).
 */
public record InventoryReport(
        Instant startedAt,
        Instant finishedAt,
        String legacy,
        Optional<String> newServer,
        Optional<Long> appendLimit,
        List<MailboxInventory> mailboxes,
        Map<String, Long> overAppendLimit,
        List<DomainTotals> domains,
        CopyEstimate estimate) {
    public InventoryReport {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(legacy, "legacy");
        Objects.requireNonNull(newServer, "newServer");
        Objects.requireNonNull(appendLimit, "appendLimit");
        mailboxes = List.copyOf(mailboxes);
        overAppendLimit = Map.copyOf(overAppendLimit);
        domains = List.copyOf(domains);
        Objects.requireNonNull(estimate, "estimate");
    }

    public Optional<MailboxInventory> mailbox(String address) {
        return mailboxes.stream().filter(m -> m.address().equals(address)).findFirst();
    }
}
