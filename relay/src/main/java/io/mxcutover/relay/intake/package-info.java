/**
 * The SMTP listener (SubEthaSMTP 7.2.2): accepts mail for the migrated domains only and
 * answers 250 only once the message is durably in the spool.
 *
 * <h2>Session</h2>
 * Banner and EHLO name this relay ("ESMTP mxcutover"), never the library. EHLO ({@link
 * io.mxcutover.relay.intake.Ehlo}, our own command in place of the library's) advertises
 * PIPELINING, SIZE (the configured limit), 8BITMIME, STARTTLS when a certificate is configured
 * and the session is not yet encrypted (TLS 1.2+, no reverse DNS per handshake,
 * {@link io.mxcutover.relay.intake.TlsSockets}), CHUNKING and SMTPUTF8. ENHANCEDSTATUSCODES is not
 * advertised: the relay's own replies carry enhanced codes, but some of the library's do not
 * ({@code 250 Ok} to MAIL/RCPT/RSET/NOOP, {@code 500} for unknown commands). Limits: total connections (421 beyond), connections
 * per client IP (421 4.7.0), per-read idle timeout, and a hard session deadline enforced by a
 * watchdog that closes the socket ({@link io.mxcutover.relay.intake.SessionGuard}).
 *
 * <h2>Transaction</h2>
 * MAIL FROM and RCPT TO parameters are decided by {@link io.mxcutover.relay.intake.EnvelopeCommand}
 * (SIZE, BODY=7BIT|8BITMIME, SMTPUTF8 on MAIL; none on RCPT; others 555 5.5.4). SMTPUTF8 (RFC 6531):
 * a non-ASCII address only in a transaction that declared it (553 5.6.7), kept as the exact UTF-8
 * received; the envelope records the declaration for delivery. HELO/EHLO names must be ASCII.
 * RCPT TO goes through {@link io.mxcutover.relay.intake.RecipientPolicy}: strict syntax and
 * routing-trick refusal (550 5.7.1 / 501 5.1.3), domain must be migrated (550 5.7.1 Relay access
 * denied), mailbox must be listed when the plan lists them (550 5.1.1), otherwise an optional
 * cached callout to the current target (450 4.1.1 when it cannot tell). Too many recipients:
 * 452 4.5.3. DATA is streamed to the spool through {@link io.mxcutover.relay.intake.DataScanner}
 * and always read to its end before any rejection; then {@link io.mxcutover.relay.intake.ContentPolicy}
 * (pure) judges what the scan saw: over the size limit 552 5.3.4; bare CR/LF
 * 550 5.6.11 (policy REJECT, default) or normalised to CRLF (NORMALIZE); too many Received headers
 * 554 5.4.6; spool failure 451 4.3.0; disk full 452 4.3.1. The message ends only at CRLF.CRLF
 * (SubEthaSMTP), so nothing forwarded can be split differently by the next hop.
 *
 * <h2>Trace</h2>
 * One {@code Received:} header is prepended (client HELO and IP, our host name, ESMTP/ESMTPS with
 * TLS protocol and cipher, queue id, recipient when there is one); the rest is kept byte for byte.
 * Logs: one line per accepted message ({@code <id>: accepted from=<..> size= nrcpt=}) and one per
 * refused RCPT or DATA, with the reason.
 */
package io.mxcutover.relay.intake;
