package io.mxcutover.sync.report;

import io.mxcutover.sync.state.MailboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The whole migration at a glance: mailboxes done/total, messages and bytes copied (from the
 * journal), errors, the last mailbox finished, the copy rate measured over the last minutes and an
 * ETA ({@link Eta}): what is left from the source inventory of each mailbox, divided by that rate.
 * {@code messagesRemaining} counts the listed mailboxes only; {@code mailboxesNotListed} says how many
 * were never listed (their remaining work is unknown, so is the ETA). Serialised as JSON by the
 * appliance and as CSV by {@link SyncReportCsv}.
 */
public record SyncReport(
        Instant generatedAt,
        Instant startedAt,
        int mailboxesTotal,
        int mailboxesSynced,
        int mailboxesFailed,
        long messagesCopied,
        long bytesCopied,
        long errors,
        Optional<String> lastMailboxFinished,
        double messagesPerSecond,
        double bytesPerSecond,
        long messagesRemaining,
        OptionalLong bytesRemaining,
        int mailboxesNotListed,
        Optional<Duration> eta,
        String etaReason,
        List<MailboxReport> mailboxes) {
    public SyncReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(etaReason, "etaReason");
        mailboxes = List.copyOf(mailboxes);
    }

    public static SyncReport of(
            Instant now, Instant startedAt, List<MailboxReport> mailboxes, Eta.Left left, Optional<Eta.Rate> rate) {
        int synced = (int) mailboxes.stream()
                .filter(m -> m.status().phase() == MailboxStatus.Phase.SYNCED)
                .count();
        int failed = (int) mailboxes.stream()
                .filter(m -> m.status().phase() == MailboxStatus.Phase.FAILED)
                .count();
        long messages =
                mailboxes.stream().mapToLong(MailboxReport::messagesCopied).sum();
        long bytes = mailboxes.stream().mapToLong(MailboxReport::bytesCopied).sum();
        long errors = mailboxes.stream().mapToLong(m -> m.failures().size()).sum();
        Optional<String> last = mailboxes.stream()
                .filter(m -> m.status().finishedAt().isPresent())
                .max((a, b) -> a.status()
                        .finishedAt()
                        .get()
                        .compareTo(b.status().finishedAt().get()))
                .map(m -> m.status().address());
        Eta.Estimate estimate = Eta.estimate(left, rate);
        return new SyncReport(
                now,
                startedAt,
                mailboxes.size(),
                synced,
                failed,
                messages,
                bytes,
                errors,
                last,
                rate.map(Eta.Rate::messagesPerSecond).orElse(0.0),
                rate.map(Eta.Rate::bytesPerSecond).orElse(0.0),
                left.messages(),
                left.bytesKnown() ? OptionalLong.of(left.bytes()) : OptionalLong.empty(),
                left.mailboxesNotListed(),
                estimate.eta(),
                estimate.reason(),
                mailboxes);
    }
}
