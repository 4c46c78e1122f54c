/**
 * Batches: a domain's mailboxes moved in waves (a pilot group, then departments), each wave started,
 * paused, resumed and completed by the admin, like Exchange Online's migration batches and IceWarp's
 * gradual migration.
 *
 * <p>States ({@link io.mxcutover.sync.batch.BatchState}): {@code NEW} (imported, nothing copied) ->
 * start -> {@code STARTED} (copied) -> pause -> {@code PAUSED} (no new pass starts; a pass already
 * running finishes) -> resume -> {@code STARTED} -> complete -> {@code COMPLETED} (one final pass, whose
 * "N additional messages" per mailbox is stored; the mailboxes keep being caught up until the domain's
 * catch-up window closes, since mail may still reach legacy). Which command is allowed where is the pure
 * {@link io.mxcutover.sync.batch.BatchState#apply}. A mailbox in no batch is copied as before batches existed.
 *
 * <p>Where a mailbox's batch comes from: the optional {@code batch} column of the mailbox list
 * ({@link io.mxcutover.sync.batch.BatchColumn}), or the appliance's API.
 *
 * <p>Tables ({@link io.mxcutover.sync.batch.BatchStore}, migration {@code db/sync/V5}): {@code sync_batch}
 * (state and times per domain and batch, the last final pass) and {@code sync_batch_mailbox} (address ->
 * batch). Which batch a mailbox is in, and its state:
 * <pre>
 * SELECT m.address, b.name, b.state FROM sync_batch_mailbox m
 *   JOIN sync_batch b ON b.domain = m.domain AND b.name = m.batch WHERE m.domain = 'example.org';
 * </pre>
 * Logs nothing itself; the appliance logs and audits every command.
 */
package io.mxcutover.sync.batch;
