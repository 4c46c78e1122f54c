package io.mxcutover.appliance.batch;

import io.mxcutover.appliance.cutover.FinalPass;
import io.mxcutover.sync.batch.BatchState;
import io.mxcutover.sync.report.MailboxReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One batch at a glance: its state and times, its mailboxes counted by how far they got, messages and bytes
 * copied and left, the copy rate of its mailboxes over the last minutes and the ETA, its errors (mailboxes
 * that failed, hooks that failed), the last final pass, and (in the detail) every mailbox.
 *
 * @param progress percent of the known messages copied (copied / (copied + left)); empty while a mailbox
 *                 of the batch is not listed, so what is left there is unknown
 * @param finalPassState {@code none} before any "complete", {@code running}, then {@code done}
 */
public record BatchReport(
        String domain,
        String name,
        BatchState state,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> pausedAt,
        Optional<Instant> completedAt,
        int mailboxesTotal,
        int mailboxesHistoryCopied,
        int mailboxesFailed,
        int mailboxesWaiting,
        long messagesCopied,
        long bytesCopied,
        long messagesRemaining,
        OptionalLong bytesRemaining,
        int mailboxesNotListed,
        OptionalDouble progress,
        double messagesPerSecond,
        double bytesPerSecond,
        Optional<Duration> eta,
        String etaReason,
        List<String> errors,
        String finalPassState,
        Optional<Instant> finalPassAt,
        long additionalMessages,
        List<FinalPass> finalPass,
        List<MailboxReport> mailboxes) {
    public BatchReport {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        errors = List.copyOf(errors);
        finalPass = List.copyOf(finalPass);
        mailboxes = List.copyOf(mailboxes);
    }

    /** The same without the per-mailbox detail (the list of a domain's batches). */
    public BatchReport summary() {
        return new BatchReport(
                domain,
                name,
                state,
                createdAt,
                startedAt,
                pausedAt,
                completedAt,
                mailboxesTotal,
                mailboxesHistoryCopied,
                mailboxesFailed,
                mailboxesWaiting,
                messagesCopied,
                bytesCopied,
                messagesRemaining,
                bytesRemaining,
                mailboxesNotListed,
                progress,
                messagesPerSecond,
                bytesPerSecond,
                eta,
                etaReason,
                errors,
                finalPassState,
                finalPassAt,
                additionalMessages,
                finalPass,
                List.of());
    }
}
