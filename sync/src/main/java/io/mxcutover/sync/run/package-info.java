/**
 * Running the sync over many mailboxes: {@link io.mxcutover.sync.run.SyncService} (the facade the
 * appliance and the CLI use: import, one pass, all mailboxes in parallel, continuous mode, report,
 * verify), {@link io.mxcutover.sync.run.SyncSettings} (servers, parallelism, intervals),
 * {@link io.mxcutover.sync.run.SyncFailurePolicy} and {@link io.mxcutover.sync.run.Backoff} (what a
 * failure stops and when to retry). One pass over one mailbox is {@code sync.engine}; the throttling
 * gates shared by every mailbox of a server are {@code sync.throttle}.
 *
 * <p>States of a mailbox: PENDING -> SYNCING -> SYNCED | INCOMPLETE (some messages failed, retried
 * with backoff) | FAILED (login or connection; the reason says what to do).
 *
 * <p>Backup: with a backup directory, a mailbox's legacy folders are exported as Maildir before its first
 * copy (package {@code io.mxcutover.sync.backup}).
 *
 * <p>Continuous mode: each mailbox gets a pass when {@link io.mxcutover.sync.run.PollSchedule} says it is due:
 * {@code interval} (default 60 s) after a pass that found a change, up to {@code maxInterval} (default 15 min) when
 * it has been quiet or its INBOX is IDLEd; a folder whose STATUS (UIDVALIDITY, UIDNEXT, MESSAGES, HIGHESTMODSEQ with
 * CONDSTORE) equals its checkpoint is skipped without a FETCH and without logging into the target. IDLE (RFC 2177)
 * on the INBOX of up to {@code maxIdleMailboxes} mailboxes triggers an INBOX-only pass within seconds of an
 * arrival; IDLE is re-issued every 25 minutes at most. Connections to the legacy server: at most
 * {@code maxIdleMailboxes + 2 x parallelMailboxes}.
 *
 * <p>Several nodes (package {@code sync.lease}): a service given the node's {@code NodeLeases} passes a mailbox
 * only while it holds the mailbox's lease (a continuous round takes the free ones, the longest since its last pass
 * first; {@code syncAll} and {@code syncOnce} wait for one another node holds), opens its IMAP sessions under the
 * cluster-wide connection caps, and IDLEs only on the INBOXes whose IDLE lease it holds.
 *
 * <p>Domains: a service built for a domain ({@code SyncSettings.withDomain}) never presents another domain's
 * mailbox credentials to its servers: passes and IDLE skip such mailboxes, direct requests are refused with
 * {@link io.mxcutover.sync.engine.ForeignMailboxException} before the credentials are read.
 *
 * <p>Logs: one line per folder that copied or failed something, per mailbox failure; they name the
 * mailbox, the folder, the server and what the admin should do; they never contain a secret. A pass's lines
 * carry the MDC keys {@code mailbox}, {@code domain} and {@code folder} (set in {@code sync.engine}).
 *
 * <p>Metrics: the sync keeps none of its own; a {@link io.mxcutover.sync.run.PassObserver} is told of every pass
 * with its duration, and the throttling gates count each server's throttles.
 */
package io.mxcutover.sync.run;
