/**
 * The inventory before a migration: how many mailboxes, how much data, how long the copy will take.
 *
 * <p>{@link io.mxcutover.sync.inventory.InventoryRun} lists every mailbox of a list on legacy (read-only:
 * LIST, STATUS, EXAMINE and one metadata FETCH per folder; no body) and checks it against the new server
 * (the folder mapping the copy would make, each folder name the copy would create tried under a scratch
 * folder that is deleted at once, the {@code APPENDLIMIT} capability). A mailbox whose login fails is
 * reported and the others go on. The result is an {@link io.mxcutover.sync.inventory.InventoryReport}:
 * per mailbox its {@link io.mxcutover.sync.inventory.FolderCount}s, largest messages and messages over the
 * limit; {@link io.mxcutover.sync.inventory.DomainTotals}; and a
 * {@link io.mxcutover.sync.inventory.CopyEstimate} (pure) from a {@link io.mxcutover.sync.inventory.CopyRate}:
 * this appliance's own passes against the same servers ({@link io.mxcutover.sync.inventory.PassLog}), else a
 * short timed sample copy into a scratch folder on new (deleted afterwards), else a documented default.
 * Output: {@link io.mxcutover.sync.inventory.InventoryTable} (terminal) and
 * {@link io.mxcutover.sync.inventory.InventoryCsv}; the appliance adds JSON and stores the report.
 *
 * <p>Tables: {@code sync_pass} ({@code db/sync/V4}), one row per mailbox pass that copied at least 20
 * messages or changed the mailbox's phase, written by {@link io.mxcutover.sync.run.SyncService}. Logs: one line per
 * inventory started and done (with the estimate and its basis); a mailbox that could not be listed at INFO;
 * a failed sample copy or a scratch folder left on the new server at WARN, with its name.
 */
package io.mxcutover.sync.inventory;
