package io.mxcutover.sync.run;

import io.mxcutover.sync.state.FolderCheckpoint;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When continuous mode checks a mailbox next (pure: the caller passes the times). A check is a pass that costs a
 * login, a LIST and one STATUS per folder on the legacy server when nothing changed; at a thousand mailboxes every
 * minute that is the legacy server's largest cost of the whole continuous mode. So the wait adapts:
 *
 * <ul>
 *   <li>a mailbox that changed at its last check (something copied, a flag) is checked again after
 *       {@code shortest};
 *   <li>a mailbox whose last pass failed (any pass: a scheduled one, or the INBOX pass an IDLE arrival woke) is
 *       checked again after {@code shortest}, IDLEd or not: what the failed pass missed must not wait for
 *       {@code longest} (a server that asked to slow down holds every pass at its gate meanwhile);
 *   <li>a quiet mailbox waits half as long as it has been quiet, between {@code shortest} and {@code longest}: quiet
 *       for 10 minutes, checked every 5 minutes; quiet for an hour, every {@code longest};
 *   <li>a mailbox whose INBOX is IDLEd (an arrival there wakes its own pass within a second) is checked every
 *       {@code longest}, for what changes in its other folders;
 *   <li>a mailbox never checked is due at once.
 * </ul>
 *
 * <p>{@code longest} below {@code shortest} is taken as {@code shortest} (a fixed interval).
 */
public record PollSchedule(Duration shortest, Duration longest) {
    public PollSchedule {
        Objects.requireNonNull(shortest, "shortest");
        Objects.requireNonNull(longest, "longest");
        if (shortest.isNegative() || shortest.isZero()) {
            throw new IllegalArgumentException("the shortest time between two checks must be positive");
        }
        if (longest.compareTo(shortest) < 0) {
            longest = shortest;
        }
    }

    /** The schedule of {@code settings}: from {@code interval} to {@code maxInterval}. */
    public static PollSchedule of(SyncSettings settings) {
        return new PollSchedule(settings.interval(), settings.maxInterval());
    }

    /**
     * What is known of a mailbox's checks: when the last one ended, when a check last found a change, and whether
     * the last pass failed.
     */
    public record Checked(Instant lastCheck, Instant lastChange, boolean lastFailed) {
        public Checked {
            Objects.requireNonNull(lastCheck, "lastCheck");
            Objects.requireNonNull(lastChange, "lastChange");
        }

        /** A check that ended at {@code at}: {@code changed} moves the last change there too. */
        public Checked checked(Instant at, boolean changed, boolean failed) {
            return new Checked(at, changed ? at : lastChange, failed);
        }

        /** The first check of a mailbox, ended at {@code at}: its history counts as a change. */
        public static Checked first(Instant at, boolean failed) {
            return new Checked(at, at, failed);
        }

        /**
         * What the store says of a mailbox this service has not checked yet (after a restart, or when continuous
         * mode starts after the history copy): its last pass ended at {@code finishedAt}, counted as a change, so
         * the next check is due {@code shortest} after it, not at once for every mailbox together.
         */
        public static Checked fromStore(Instant finishedAt, boolean failed) {
            return first(finishedAt, failed);
        }

        /**
         * A pass of some folders only (the INBOX pass an IDLE arrival woke) ended at {@code at}: a change or a
         * failure is remembered, the time of the last full check is kept.
         */
        public Checked partial(Instant at, boolean changed, boolean failed) {
            return new Checked(lastCheck, changed ? at : lastChange, lastFailed || failed);
        }
    }

    /** How long after its last check the next one is due. */
    public Duration waitAfter(Checked last, boolean inboxIdled) {
        if (last.lastFailed()) {
            return shortest;
        }
        if (inboxIdled) {
            return longest;
        }
        Duration quiet = Duration.between(last.lastChange(), last.lastCheck());
        if (quiet.isNegative()) {
            quiet = Duration.ZERO;
        }
        Duration half = quiet.dividedBy(2);
        return half.compareTo(shortest) < 0 ? shortest : half.compareTo(longest) > 0 ? longest : half;
    }

    /**
     * A check left to another node (continuous mode with leases), recorded at {@code now}: the other node's pass
     * counts as this check, at the time it ended ({@code passedElsewhere}) when that is known. Recorded at
     * {@code now} instead, the next check came a full wait after the skip while the other pass was older: it always
     * went ahead, and each node passed every other time its check came due (bench/scale: 15,719 legacy logins with
     * 3 nodes against 8,855 with one, for the same copy). Recorded at {@code now} also when the other pass is so
     * old the mailbox would be due again at once (the other node's pass counted under a shorter rest).
     */
    public Checked leftToAnotherNode(Checked last, Optional<Instant> passedElsewhere, boolean inboxIdled, Instant now) {
        Instant at = passedElsewhere.orElse(now);
        if (at.isAfter(now)) {
            at = now; // another machine's clock ahead of this one's
        }
        if (last != null && at.isBefore(last.lastCheck())) {
            at = last.lastCheck();
        }
        Checked recorded = last == null ? Checked.first(at, false) : last.checked(at, false, false);
        if (due(recorded, inboxIdled, now)) {
            return last == null ? Checked.first(now, false) : last.checked(now, false, false);
        }
        return recorded;
    }

    /** When the next check of a mailbox is due; {@code null} {@code last} (never checked): {@link Instant#MIN}. */
    public Instant next(Checked last, boolean inboxIdled) {
        return last == null ? Instant.MIN : last.lastCheck().plus(waitAfter(last, inboxIdled));
    }

    /**
     * The due mailboxes ({@code due}: each one's due time) in the order their passes are queued: the longest
     * overdue first (a mailbox never passed is due since {@link Instant#MIN}, so the history copy goes before the
     * re-checks), ties by {@code tieBreak}, then by address. In a fixed order instead, the mailboxes at its end
     * waited while those at its start came due again: the first copies of the last mailboxes trickled in (bench/scale,
     * 3 nodes: 190 first copies a minute at the start, 15 at the end).
     */
    public static List<String> dueFirst(Map<String, Instant> due, java.util.function.ToLongFunction<String> tieBreak) {
        return due.keySet().stream()
                .sorted(java.util.Comparator.comparing((String a) -> due.get(a))
                        .thenComparingLong(tieBreak)
                        .thenComparing(a -> a))
                .toList();
    }

    /** Whether the mailbox is due at {@code now}. */
    public boolean due(Checked last, boolean inboxIdled, Instant now) {
        return !now.isBefore(next(last, inboxIdled));
    }

    /**
     * Whether an IDLE watcher that has just SELECTed INBOX must pass it at once: what the SELECT reports
     * ({@code atSelect}: UIDVALIDITY, UIDNEXT, message count) is not where the last complete pass left the folder,
     * or no complete pass is known. A message that arrived after the last pass read INBOX and before the SELECT is
     * announced by no IDLE; without this pass it waited for the IDLEd mailbox's next full check, {@code longest}
     * later (ObservabilityIT and CutoverEndToEndIT in the full suite: mail relayed to legacy while the watcher
     * connected was not on new after 60 s).
     */
    public static boolean inboxMovedSinceLastPass(Optional<FolderCheckpoint> lastPass, SideStatus atSelect) {
        Objects.requireNonNull(atSelect, "atSelect");
        if (lastPass.isEmpty() || !lastPass.get().complete()) {
            return true;
        }
        SideStatus seen = lastPass.get().source();
        return seen.uidValidity() != atSelect.uidValidity()
                || seen.uidNext() != atSelect.uidNext()
                || seen.messages() != atSelect.messages();
    }
}
