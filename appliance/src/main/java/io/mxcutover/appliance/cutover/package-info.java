/**
 * The cutover of a domain: its phases, the preflight before go-live, and the catch-up window after it.
 *
 * <p>The decision core is pure, over values: {@link io.mxcutover.appliance.cutover.CutoverMachine},
 * {@link io.mxcutover.appliance.cutover.Readiness}, {@link io.mxcutover.appliance.cutover.CatchUpWindow}
 * and their value types have no I/O, no clock (the time comes in as an {@link java.time.Instant}), no
 * Dropwizard. Around it, the edges: {@link io.mxcutover.appliance.cutover.CutoverService} gathers the facts
 * (store, and the sources the other parts install in {@link io.mxcutover.appliance.cutover.CutoverSources}:
 * {@link io.mxcutover.appliance.cutover.MailboxProgressSource} from the sync,
 * {@link io.mxcutover.appliance.cutover.RelayQueueSource} from the relay,
 * {@link io.mxcutover.appliance.cutover.DnsSource} from the DNS watcher,
 * {@link io.mxcutover.appliance.cutover.ProbeSource} = {@link io.mxcutover.appliance.cutover.GreetingProbe}),
 * asks the core, persists what it decides ({@link io.mxcutover.appliance.cutover.CutoverRecords}, tables
 * {@code cutover}, {@code window_override}, {@code domain_report}; the phase through
 * {@code store.DomainPhases}), then acts and tells the {@link io.mxcutover.appliance.cutover.PhaseListener}s.
 * {@link io.mxcutover.appliance.cutover.CutoverTick} completes domains whose window closed (every 10 s),
 * and {@link io.mxcutover.appliance.cutover.CutoverResource} is the REST API ({@code /api/v1/domains},
 * documented in {@code docs/reference/api.md}).
 *
 * <p>Logs (CutoverService): INFO per phase change, window extension and stored report; WARN when a source,
 * a listener or the final pass fails (the domain and what keeps running are named).
 *
 * <h2>Phases</h2>
 * <pre>
 *   RELAYING --cutover--&gt; CATCHING_UP --window closes (tick, or close with force)--&gt; COMPLETED
 *       ^                      |
 *       +------rollback--------+
 * </pre>
 * {@link io.mxcutover.appliance.cutover.CutoverMachine#apply} is the only place transitions are decided.
 * It returns {@code Changed} (persist the new phase and the audit record first, then act), {@code
 * Unchanged} (a repeat: the domain already is where the command leads; idempotent, not an error), {@code
 * WindowExtended}, or {@code Refused} with its grounds (not allowed from this phase, e.g. rollback from
 * COMPLETED; preflight failing without force; window still open without force). The REST layer answers
 * 409 to a refusal.
 *
 * <h2>Preflight</h2>
 * {@link io.mxcutover.appliance.cutover.Readiness#evaluate} turns the facts into checks (history copied,
 * a recent verification of every mailbox finds nothing missing or different, new SMTP and IMAP answer,
 * nothing for the domain held or failing in the relay, DNS), each PASS, WARN or FAIL with a reason. A FAIL
 * blocks a cutover unless the admin passes force. A check passes only on a positive, recent fact: a
 * verification never run, one that could not reach a server (UNREACHABLE: nothing compared), one that did
 * not complete or is older than {@code cutover.verificationMaxAge} (24 h) is a FAIL naming the mailboxes;
 * so are a relay that has not reported its queue and no usable DNS observation. DNS not yet switched is
 * only a WARN: some providers switch the MX at go-live.
 *
 * <h2>Catch-up window</h2>
 * {@link io.mxcutover.appliance.cutover.CatchUpWindow#evaluate}: after cutover, caches may still send
 * mail straight to legacy, so the sync keeps copying from legacy until the window closes at the latest of
 * the cutover time; the MX switch (seen on every authoritative server) + the configured length (48 h);
 * the time every watched resolver returned the new MX set + the largest old TTL; the last message found
 * new on legacy + the quiet period (6 h); then later by admin extensions. An admin's forced close closes
 * it at once. A domain whose MX switch was never seen does not complete ("check DNS"), and while a
 * watched resolver still returns the old set the closing time is unknown. Every verdict names the term
 * that decided it in words an admin can check. Which MX switch that is depends on the plan's flow: legacy
 * -> appliance in relay-first, legacy -> new provider in switch-at-go-live (the moment no authoritative
 * server lists a legacy host any more).
 *
 * <h2>Retiring the appliance (relay-first)</h2>
 * {@link io.mxcutover.appliance.cutover.ApplianceRetirement#evaluate}: once COMPLETED and, after the last
 * switch (appliance -> new provider), no authoritative server or watched resolver returns an appliance host
 * ({@link io.mxcutover.appliance.cutover.HostsGone} from the DNS watcher) plus that record's TTL, the domain
 * view says "the appliance can be retired ... at"; anything unknown is "not yet" with the reason.
 *
 * <h2>Post-cutover probes</h2>
 * {@link io.mxcutover.appliance.cutover.PostCutoverProbes} runs after the final pass of a cutover and on
 * {@code POST /api/v1/domains/{domain}/probes} ({@link io.mxcutover.appliance.cutover.ProbeResource}): a
 * send/receive test (a message through the relay's own listener to the domain's probe mailbox, read back
 * from the new IMAP server) and a credential check (every mailbox whose new-server password the
 * {@link io.mxcutover.appliance.cutover.CredentialSource} knows logs in once).
 * {@link io.mxcutover.appliance.cutover.ProbeVerdicts} turns what they found into checks; the newest
 * {@link io.mxcutover.appliance.cutover.ProbeRun} per domain shows in the domain view and the report, and
 * each finished run is audited ({@code probes}).
 *
 * <h2>Audit</h2>
 * Every {@code Changed} and {@code WindowExtended} carries audit text naming the user, the reason and,
 * for a cutover, the preflight outcome (warnings, or the failing checks a force overrode); the caller
 * stores it with the time, the from/to phases and the full list of checks. Nothing here logs.
 */
package io.mxcutover.appliance.cutover;
