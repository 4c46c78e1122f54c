/**
 * Batches in the appliance: the admin's commands on a domain's waves of mailboxes (start, pause, resume,
 * complete; {@code /api/v1/domains/{domain}/batches}), their reports (counts, progress, rate, ETA, errors,
 * the final pass; JSON and CSV), and what the batches decide for the rest of the appliance: which
 * mailboxes the sync copies ({@link io.mxcutover.appliance.batch.Batches#copies}) and which the readiness
 * check judges ({@code batches.readiness}: every mailbox, or only those of started batches).
 *
 * <p>The states and their table live in {@link io.mxcutover.sync.batch}. Every command is audited
 * ({@code batch.start}, {@code batch.pause}, {@code batch.resume}, {@code batch.complete},
 * {@code batch.assign}); the final pass of a "complete" runs on its own thread, is audited as
 * {@code batch.final-pass} with "N additional messages" per mailbox, stored with the batch, and fires the
 * {@code batch-completed} hook. A final pass cut short by a stop runs again at the next start.
 */
package io.mxcutover.appliance.batch;
