/**
 * The cutover of a domain: its phases, the go-live and rollback commands, the final pass, and the
 * report. The preflight is {@code appliance.readiness}, the catch-up window {@code appliance.window},
 * the facts both judge {@code appliance.facts}, the probes of the new server {@code appliance.probe}.
 *
 * <p>The decision core is pure, over values: {@link io.mxcutover.appliance.cutover.CutoverMachine} has no
 * I/O, no clock (the time comes in as an {@link java.time.Instant}), no Dropwizard. Around it, the edges:
 * {@link io.mxcutover.appliance.cutover.CutoverService} gathers the facts (store, and the sources the other
 * parts install in {@link io.mxcutover.appliance.cutover.CutoverSources}), asks the core, persists what it
 * decides ({@link io.mxcutover.appliance.cutover.CutoverRecords}, tables {@code cutover},
 * {@code window_override}, {@code domain_report}; the phase through {@code store.DomainPhases}), then acts
 * and tells the {@link io.mxcutover.appliance.cutover.PhaseListener}s.
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
 *
 * <h2>Audit</h2>
 * Every {@code Changed} and {@code WindowExtended} carries audit text naming the user, the reason and,
 * for a cutover, the preflight outcome (warnings, or the failing checks a force overrode); the caller
 * stores it with the time, the from/to phases and the full list of checks. Nothing here logs.
 */
package io.mxcutover.appliance.cutover;
