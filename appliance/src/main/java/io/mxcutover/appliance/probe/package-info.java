/**
 * Probes of the new server, with their own small SMTP and IMAP clients
 * ({@link io.mxcutover.appliance.probe.SmtpProbeClient}, {@link io.mxcutover.appliance.probe.ImapProbeClient}).
 *
 * <p>Before go-live, {@link io.mxcutover.appliance.probe.GreetingProbe} (the readiness check's
 * {@link io.mxcutover.appliance.probe.ProbeSource}) asks whether the new SMTP takes the domain's mail
 * (EHLO, {@code MAIL FROM:<>}, {@code RCPT TO:<postmaster@domain>}, QUIT; no DATA) and whether the new
 * IMAP answers.
 *
 * <h2>Post-cutover probes</h2>
 * {@link io.mxcutover.appliance.probe.PostCutoverProbes} runs after the final pass of a cutover and on
 * {@code POST /api/v1/domains/{domain}/probes} ({@link io.mxcutover.appliance.probe.ProbeResource}): a
 * send/receive test (a message through the relay's own listener to the domain's probe mailbox, read back
 * from the new IMAP server) and a credential check (every mailbox whose new-server password the
 * {@link io.mxcutover.appliance.facts.CredentialSource} knows logs in once).
 * {@link io.mxcutover.appliance.probe.ProbeVerdicts} turns what they found into checks; the newest
 * {@link io.mxcutover.appliance.probe.ProbeRun} per domain shows in the domain view and the report, and
 * each finished run is audited ({@code probes}).
 *
 */
package io.mxcutover.appliance.probe;
