/**
 * The preflight before a domain goes live: pure, over values ({@link io.mxcutover.appliance.readiness.ReadinessInputs}
 * in, {@link io.mxcutover.appliance.readiness.Readiness} out), no I/O and no clock.
 *
 * <p>{@link io.mxcutover.appliance.readiness.Readiness#evaluate} turns the facts into checks (history copied,
 * a recent verification of every mailbox finds nothing missing or different, new SMTP and IMAP answer,
 * nothing for the domain held or failing in the relay, DNS), each PASS, WARN or FAIL with a reason. A FAIL
 * blocks a cutover unless the admin passes force. A check passes only on a positive, recent fact: a
 * verification never run, one that could not reach a server (UNREACHABLE: nothing compared), one that did
 * not complete or is older than {@code cutover.verificationMaxAge} (24 h) is a FAIL naming the mailboxes;
 * so are a relay that has not reported its queue and no usable DNS observation. DNS not yet switched is
 * only a WARN: some providers switch the MX at go-live.
 *
 * The mailbox checks are {@link io.mxcutover.appliance.readiness.MailboxChecks}.
 */
package io.mxcutover.appliance.readiness;
