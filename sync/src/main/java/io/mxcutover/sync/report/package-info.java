/**
 * Reports: {@link io.mxcutover.sync.report.SyncReport} (start time, mailboxes done/total, messages
 * and bytes copied, errors, last mailbox finished, rate, what is left, ETA) with a
 * {@link io.mxcutover.sync.report.MailboxReport} per mailbox (per-folder progress from the journal,
 * recorded failures with the server's words). The ETA ({@link io.mxcutover.sync.report.Eta}, pure) divides
 * what is left (each mailbox's source inventory minus the journal; unknown for a mailbox never listed) by
 * the rate a {@link io.mxcutover.sync.report.RateMeter} measured from readings of the journal's totals over
 * the last 10 minutes. JSON comes from the appliance's Jackson; CSV from
 * {@link io.mxcutover.sync.report.ReportCsv}. Reports carry no credentials.
 */
package io.mxcutover.sync.report;
