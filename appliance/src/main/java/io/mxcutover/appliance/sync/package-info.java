/**
 * Mailboxes in the appliance: the sync library wired in. {@link io.mxcutover.appliance.sync.SyncManaged}
 * runs one continuous {@code SyncService} per planned domain with IMAP on both sides (stopped when the
 * domain is COMPLETED), each built for its domain so that a mailbox's credentials only reach its own
 * domain's servers, and answers the cutover's readiness questions; imports are all or nothing and refuse
 * mailboxes outside the plan's domains;
 * {@link io.mxcutover.appliance.sync.MailboxResource} is {@code /api/v1/mailboxes} (list and report,
 * CSV import, detail, sync now, verify); {@code cli.SyncCommand} is
 * {@code ./mxcutover sync}. State lives in the appliance store (tables {@code sync_*}, migrations
 * {@code db/sync}); passwords are sealed with the key in {@code sync.keyFile}.
 *
 * <p>Verification: every verification (one mailbox's, {@code POST /api/v1/mailboxes/{address}/verify}, or a
 * whole domain's in the background, {@link io.mxcutover.appliance.sync.VerifyResource},
 * {@code /api/v1/domains/{domain}/verify}) is stored by {@link io.mxcutover.appliance.sync.VerificationRecords}
 * (table {@code mailbox_verification}, migrations {@code db/appliance/V3} and {@code V4}) with the time it was taken, the
 * verdict, the counts and the verifier's report as JSON, replacing the mailbox's previous one. The readiness
 * gate reads these stored results, so they survive a restart; the progress of a domain-wide run
 * ({@link io.mxcutover.appliance.sync.VerifyJob}) is kept in memory. Logs: INFO when a domain-wide run
 * starts and finishes, WARN when one mailbox's verification fails (stored as UNREACHABLE with the reason).
 */
package io.mxcutover.appliance.sync;
