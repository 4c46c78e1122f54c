/**
 * Mailboxes in the appliance: the sync library wired in. {@link io.mxcutover.appliance.mailbox.SyncManaged}
 * runs one continuous {@code SyncService} per planned domain with IMAP on both sides (stopped when the
 * domain is COMPLETED), each built for its domain so that a mailbox's credentials only reach its own
 * domain's servers, and answers the cutover's readiness questions; imports are all or nothing and refuse
 * mailboxes outside the plan's domains;
 * {@link io.mxcutover.appliance.mailbox.MailboxResource} is {@code /api/v1/mailboxes} (list and report,
 * CSV import, detail, sync now, verify); {@link io.mxcutover.appliance.mailbox.SyncCommand} is
 * {@code ./mxcutover sync}. State lives in the appliance store (tables {@code sync_*}, migrations
 * {@code db/sync}); passwords are sealed with the key in {@code sync.keyFile}.
 */
package io.mxcutover.appliance.mailbox;
