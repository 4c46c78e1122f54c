/**
 * The sync state: the journal of copied messages and per-folder checkpoints, in the
 * appliance's SQL store (SQLite by default, portable to PostgreSQL).
 *
 * <p>Schema: Flyway migrations in {@code classpath:db/sync} (run with history table
 * {@code flyway_history_sync}). Tables: {@code sync_mailbox} (credentials sealed with AES-GCM,
 * status), {@code sync_folder} (checkpoint per source folder), {@code sync_inventory} (per source folder:
 * messages at the last listing, bytes at the last metadata fetch; what the ETA counts as left), {@code sync_message} (one row per
 * message: source UIDVALIDITY/UID, target UID, identity, content SHA-256, INTENT/DONE),
 * {@code sync_folder_plan} (the folder plan: per source folder its target folder, whether the sync
 * created it, rename/merge and why; journaled before the first CREATE, see
 * {@link io.mxcutover.sync.state.PlannedFolder}) and {@code sync_failure}.
 *
 * <p>Journal order: INTENT rows are committed before the APPENDs of a batch, DONE after;
 * the folder checkpoint is written last. An operator reads one mailbox's state with:
 * <pre>
 * SELECT source_folder, state, COUNT(*) AS messages, SUM(size) AS bytes
 *   FROM sync_message WHERE mailbox = 'alice@example.test'
 *  GROUP BY source_folder, state ORDER BY source_folder;
 * </pre>
 */
package io.mxcutover.sync.state;
