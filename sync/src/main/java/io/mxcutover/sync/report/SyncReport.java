package io.mxcutover.sync.report;

import io.mxcutover.sync.state.MailboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole migration at a glance: mailboxes done/total, messages and bytes copied (from the
 * journal), errors, the last mailbox finished, the copy rate since this service started and an
 * ETA from what the last passes still had to copy. Serialised as JSON by the appliance and as
 * CSV by {@link ReportCsv}.
 */
public record SyncReport(Instant generatedAt, Instant startedAt, int mailboxesTotal, int mailboxesSynced,
                         int mailboxesFailed, long messagesCopied, long bytesCopied, long errors,
                         Optional<String> lastMailboxFinished, double messagesPerSecond, long messagesRemaining,
                         Optional<Duration> eta, List<MailboxReport> mailboxes) {
    public SyncReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(startedAt, "startedAt");
        mailboxes = List.copyOf(mailboxes);
    }

    public static SyncReport of(Instant now, Instant startedAt, List<MailboxReport> mailboxes, long copiedThisRun,
                                long remaining) {
        int synced = (int) mailboxes.stream().filter(m -> m.status().phase() == MailboxStatus.Phase.SYNCED).count();
        int failed = (int) mailboxes.stream().filter(m -> m.status().phase() == MailboxStatus.Phase.FAILED).count();
        long messages = mailboxes.stream().mapToLong(MailboxReport::messagesCopied).sum();
        long bytes = mailboxes.stream().mapToLong(MailboxReport::bytesCopied).sum();
        long errors = mailboxes.stream().mapToLong(m -> m.failures().size()).sum();
        Optional<String> last = mailboxes.stream().filter(m -> m.status().finishedAt().isPresent())
                .max((a, b) -> a.status().finishedAt().get().compareTo(b.status().finishedAt().get()))
                .map(m -> m.status().address());
        double seconds = Math.max(0.001, Duration.between(startedAt, now).toMillis() / 1000.0);
        double rate = copiedThisRun / seconds;
        Optional<Duration> eta = rate > 0 && remaining > 0
                ? Optional.of(Duration.ofSeconds((long) Math.ceil(remaining / rate))) : Optional.empty();
        return new SyncReport(now, startedAt, mailboxes.size(), synced, failed, messages, bytes, errors, last, rate,
                remaining, eta, mailboxes);
    }
}
