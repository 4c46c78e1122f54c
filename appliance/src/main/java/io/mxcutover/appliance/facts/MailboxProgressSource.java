package io.mxcutover.appliance.facts;

import io.mxcutover.appliance.cutover.CutoverSources;
import io.mxcutover.appliance.cutover.FinalPass;
import java.util.List;

/**
 * What the cutover needs from the sync, per domain. The sync wiring implements it and installs it with
 * {@link CutoverSources#mailboxes(MailboxProgressSource)}; until then {@link #UNKNOWN} answers, which
 * makes the history check fail (a domain is never declared copied on no evidence).
 *
 * <p>Contract: every method may be called from any thread (API requests, the tick, the final-pass thread)
 * and must not throw for a domain it does not know: it answers "unknown" or an empty list instead.
 * Call order for one domain: {@link #progress} and {@link #summary} any time; {@link #finalPass} once per
 * cutover, after the phase CATCHING_UP is on disk; {@link #stopSyncing} once, after the phase COMPLETED is
 * on disk. The sync wiring must also not start syncing a domain whose stored phase is COMPLETED (after a
 * restart, {@code stopSyncing} is not called again).
 */
public interface MailboxProgressSource {

    /** Each mailbox of the domain: history copied, and the last verification's count missing on new. */
    List<MailboxProgress> progress(String domain);

    /** Totals for the domain page and the final report. */
    SyncSummary summary(String domain);

    /**
     * Runs one more sync pass over every mailbox of the domain now and says, per mailbox, how many
     * messages it copied ("N additional messages"). Blocks until the pass is done; runs on the cutover's
     * own thread, never on an API request.
     */
    List<FinalPass> finalPass(String domain);

    /** The catch-up window closed: stop copying the domain's mailboxes from legacy for good. */
    void stopSyncing(String domain);

    /** Nothing wired yet: no mailbox known, nothing copied, nothing to stop. */
    MailboxProgressSource UNKNOWN = new MailboxProgressSource() {
        @Override
        public List<MailboxProgress> progress(String domain) {
            return List.of();
        }

        @Override
        public SyncSummary summary(String domain) {
            return SyncSummary.UNKNOWN;
        }

        @Override
        public List<FinalPass> finalPass(String domain) {
            return List.of();
        }

        @Override
        public void stopSyncing(String domain) {}

        @Override
        public String toString() {
            return "sync not wired";
        }
    };
}
