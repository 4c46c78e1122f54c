package io.mxcutover.appliance.cutover;

import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.appliance.facts.QueueSummary;
import io.mxcutover.appliance.facts.SyncSummary;
import io.mxcutover.appliance.probe.ProbeRun;
import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.window.WindowState;
import io.mxcutover.appliance.window.WindowTerm;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A domain as {@code GET /api/v1/domains/{domain}} shows it: phase, what to do next, preflight, catch-up
 * window, DNS, sync and relay queue. Durations are written the way an admin writes them ({@code 48h}).
 *
 * @param readiness live checks while RELAYING (detail page only), the checks stored at cutover after it;
 *     empty in the domain list
 * @param next one sentence: what the admin can do now, or why nothing is to be done
 * @param probes the newest post-cutover probe run (send/receive test, credential check), if any ran
 * @param flow the plan's MX flow: {@code relay-first} or {@code switch-at-go-live}
 * @param applianceRetirement relay-first only: when the appliance may be retired for this domain
 */
public record DomainView(
        String domain,
        CutoverPhase phase,
        String next,
        boolean legacyMayBeDecommissioned,
        Optional<ReadinessView> readiness,
        WindowView window,
        DnsView dns,
        SyncSummary sync,
        QueueSummary relayQueue,
        Optional<CutoverView> cutover,
        Optional<ProbeRun> probes,
        String flow,
        Optional<RetirementView> applianceRetirement) {

    /**
     * @param retirable true once {@code at} has passed
     * @param at when the appliance may be retired; empty while not known
     * @param summary "the appliance can be retired for example.com at ..." or "not yet: resolver X still
     *     returns mx.appliance.example ..."
     */
    public record RetirementView(boolean retirable, Optional<Instant> at, String summary) {}

    /** @param evaluated {@code live} (probed now) or {@code at cutover} (as stored) */
    public record ReadinessView(String evaluated, boolean ready, List<Check> checks) {}

    public record WindowView(
            WindowState state,
            Optional<Instant> closesAt,
            WindowTerm decidedBy,
            String reason,
            String summary,
            String length,
            String quietPeriod,
            List<String> extensions,
            Optional<String> forcedClose) {}

    public record DnsView(
            DnsVerdict verdict,
            String detail,
            Optional<Instant> mxSwitchSeenAt,
            Optional<Instant> resolversConvergedAt,
            String largestOldTtl) {}

    /**
     * @param finalPassState {@code running} until the final sync pass recorded its result, then {@code done}
     * @param additionalMessages the final pass's total over every mailbox
     * @param caughtUpAfterCutover messages the sync copied from legacy since the cutover
     */
    public record CutoverView(
            Instant at,
            String by,
            String reason,
            boolean forced,
            String finalPassState,
            Optional<Instant> finalPassAt,
            long additionalMessages,
            List<FinalPass> finalPass,
            long caughtUpAfterCutover) {}
}
