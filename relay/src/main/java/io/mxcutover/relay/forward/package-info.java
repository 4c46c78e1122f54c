/**
 * Forwards spooled messages to their routed next hop with Angus Mail's SMTP client, and decides
 * what each reply means.
 *
 * <h2>Sending</h2>
 * {@link io.mxcutover.relay.forward.SmtpForwarder} sends the spooled bytes unchanged: a
 * {@link io.mxcutover.relay.forward.SpooledMessage} overrides {@code writeTo} so Angus never
 * re-serialises headers, never drops {@code Bcc:}/{@code Content-Length:}, and
 * {@code saveChanges()} is never called (it would replace the Message-ID). The envelope is the
 * original one; the null sender is passed as {@code "<>"} (an empty string would make Angus use
 * the From: header). Recipients are grouped per target, with {@code mail.smtp.sendpartial} so
 * each recipient gets its own reply. Connections are reused per target for a short idle time.
 * Addresses are never re-encoded: an SMTPUTF8 message (declared by its client, or with a UTF-8
 * address) travels on its own connections with {@code mail.mime.allowutf8} (UTF-8 commands,
 * {@code SMTPUTF8} on MAIL FROM) and only to a target whose EHLO offers SMTPUTF8; otherwise the
 * target gets nothing and the recipients get {@code 553 5.6.7} through
 * {@link io.mxcutover.relay.forward.DeliveryFailurePolicy#withoutSmtpUtf8} (bounce, or deferral plus alert
 * under soft bounce). Every other message has ASCII addresses and ASCII connections.
 * STARTTLS follows a {@link io.mxcutover.relay.forward.TargetPolicy} per next hop (the global
 * level for hops without one): {@code OPPORTUNISTIC} uses it when offered (certificates not
 * verified, like Postfix's {@code may} level; a failed handshake falls back to plaintext),
 * {@code REQUIRED} defers with an admin alert when the hop offers none, {@code OFF} never tries.
 * A policy may carry AUTH credentials: then TLS is required and AUTH PLAIN or LOGIN is sent only
 * inside it; a refused AUTH defers with an alert naming the user and the hop, never the
 * password. Connect, read and write timeouts are always finite. BDAT is never used (Angus
 * mangles it).
 *
 * <h2>Deciding</h2>
 * {@link io.mxcutover.relay.forward.DeliveryFailurePolicy} is the only place that maps a reply or an
 * exception to an {@link io.mxcutover.relay.forward.Outcome}: 2xx Delivered; 4xx, timeouts,
 * connection errors and anything unknown Deferred (errors default to transient); 5xx Rejected,
 * unless the route has soft bounce on (then Deferred plus an alert). A 552 to RCPT is treated as
 * 452 (RFC 5321 §4.5.3.1.10). {@link io.mxcutover.relay.forward.RetrySchedule#nextAttempt} is the
 * backoff: doubling from the minimal backoff (5 min) to the maximal one (4000 s), giving up at the
 * maximal lifetime (5 days), following RFC 5321 §4.5.4.1 and Postfix's defaults.
 *
 * <h2>Bounces</h2>
 * {@link io.mxcutover.relay.forward.Bounces} builds RFC 3464 multipart/report messages
 * (failed or delayed) with the original headers as text/rfc822-headers, sent from the null
 * sender, and never for a message whose own sender is null.
 * {@link io.mxcutover.relay.forward.BounceSender} spools them as new messages (origin
 * {@code BOUNCE}) so they are routed, retried and delivered like any other; the scheduler decides
 * when one is due ({@code schedule.Disposition}).
 */
package io.mxcutover.relay.forward;
