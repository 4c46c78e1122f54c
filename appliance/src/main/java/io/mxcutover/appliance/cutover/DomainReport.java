package io.mxcutover.appliance.cutover;

import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.probe.ProbeRun;
import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.window.WindowVerdict;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The report of a domain's migration: stored once, when the domain COMPLETED ({@code complete}), and built
 * live before that. Verification per mailbox, statistics, the preflight at cutover, the final pass, and
 * whether legacy may be switched off.
 *
 * @param caughtUpAfterCutover messages the sync copied from legacy after the cutover (final pass and
 *     catch-up window): mail that reached legacy through stale DNS or a slow sender
 * @param window the catch-up window when the domain completed (or as it stands now); empty before cutover
 * @param verdict one sentence for the admin: what to do next
 * @param probes the newest post-cutover probe run when the report was made (empty in reports stored before
 *     the probes existed)
 * @param copyTiming the inventory's estimate of the history copy next to the copy's real duration (empty
 *     without an inventory, and in reports stored before it existed)
 */
public record DomainReport(
        String domain,
        boolean complete,
        CutoverPhase phase,
        Instant generatedAt,
        Optional<Instant> cutoverAt,
        Optional<String> cutoverBy,
        Optional<String> cutoverReason,
        boolean forced,
        List<Check> readinessAtCutover,
        Optional<Instant> finalPassAt,
        List<FinalPass> finalPass,
        Optional<Instant> completedAt,
        Optional<WindowVerdict> window,
        boolean syncKnown,
        long messagesCopied,
        long caughtUpAfterCutover,
        List<MailboxProgress> mailboxes,
        List<String> errors,
        boolean legacyMayBeDecommissioned,
        String verdict,
        Optional<ProbeRun> probes,
        Optional<CopyTiming> copyTiming) {

    public DomainReport {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(generatedAt, "generatedAt");
        readinessAtCutover = List.copyOf(readinessAtCutover);
        finalPass = List.copyOf(finalPass);
        mailboxes = List.copyOf(mailboxes);
        errors = List.copyOf(errors);
        Objects.requireNonNull(verdict, "verdict");
        probes = probes == null ? Optional.empty() : probes;
        copyTiming = copyTiming == null ? Optional.empty() : copyTiming;
    }

    /** A report without the copy's timing. */
    public DomainReport(
            String domain,
            boolean complete,
            CutoverPhase phase,
            Instant generatedAt,
            Optional<Instant> cutoverAt,
            Optional<String> cutoverBy,
            Optional<String> cutoverReason,
            boolean forced,
            List<Check> readinessAtCutover,
            Optional<Instant> finalPassAt,
            List<FinalPass> finalPass,
            Optional<Instant> completedAt,
            Optional<WindowVerdict> window,
            boolean syncKnown,
            long messagesCopied,
            long caughtUpAfterCutover,
            List<MailboxProgress> mailboxes,
            List<String> errors,
            boolean legacyMayBeDecommissioned,
            String verdict,
            Optional<ProbeRun> probes) {
        this(
                domain,
                complete,
                phase,
                generatedAt,
                cutoverAt,
                cutoverBy,
                cutoverReason,
                forced,
                readinessAtCutover,
                finalPassAt,
                finalPass,
                completedAt,
                window,
                syncKnown,
                messagesCopied,
                caughtUpAfterCutover,
                mailboxes,
                errors,
                legacyMayBeDecommissioned,
                verdict,
                probes,
                Optional.empty());
    }

    /** A report without probe results. */
    public DomainReport(
            String domain,
            boolean complete,
            CutoverPhase phase,
            Instant generatedAt,
            Optional<Instant> cutoverAt,
            Optional<String> cutoverBy,
            Optional<String> cutoverReason,
            boolean forced,
            List<Check> readinessAtCutover,
            Optional<Instant> finalPassAt,
            List<FinalPass> finalPass,
            Optional<Instant> completedAt,
            Optional<WindowVerdict> window,
            boolean syncKnown,
            long messagesCopied,
            long caughtUpAfterCutover,
            List<MailboxProgress> mailboxes,
            List<String> errors,
            boolean legacyMayBeDecommissioned,
            String verdict) {
        this(
                domain,
                complete,
                phase,
                generatedAt,
                cutoverAt,
                cutoverBy,
                cutoverReason,
                forced,
                readinessAtCutover,
                finalPassAt,
                finalPass,
                completedAt,
                window,
                syncKnown,
                messagesCopied,
                caughtUpAfterCutover,
                mailboxes,
                errors,
                legacyMayBeDecommissioned,
                verdict,
                Optional.empty());
    }
}
