/**
 * Reports: {@link io.mxcutover.sync.report.SyncReport} (start time, mailboxes done/total, messages
 * and bytes copied, errors, last mailbox finished, rate, ETA) with a
 * {@link io.mxcutover.sync.report.MailboxReport} per mailbox (per-folder progress from the journal,
 * recorded failures with the server's words). JSON comes from the appliance's Jackson; CSV from
 * {@link io.mxcutover.sync.report.ReportCsv}. Reports carry no credentials.
 */
package io.mxcutover.sync.report;
