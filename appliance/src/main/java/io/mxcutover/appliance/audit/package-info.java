/**
 * The audit log: {@link io.mxcutover.appliance.audit.AuditLog} writes it (table {@code audit_log}), and
 * over REST {@code GET /api/v1/audit} (operator), newest first, optionally for one domain
 * ({@code ?domain=}) and bounded ({@code ?limit=}, 1 to 1000, default 100).
 *
 * <p>Entries are written elsewhere: phase changes by {@code store.DomainPhases} (action {@code phase}, in
 * the same transaction as the change), everything else by {@link io.mxcutover.appliance.audit.AuditLog} (record). The cutover writes
 * {@code phase} (cutover, rollback, completion; reason as given, details with the preflight checks),
 * {@code cutover.final-pass}, {@code window.extend}, {@code report.stored}, and for attempts that changed
 * nothing {@code <action>.repeated} / {@code <action>.refused}. The actor is the authenticated API user, or
 * {@code mxcutover} for what the appliance does by itself.
 */
package io.mxcutover.appliance.audit;
