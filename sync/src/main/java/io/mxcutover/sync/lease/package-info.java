/**
 * Leased sync work across the nodes that share one store (issue 16): a mailbox is copied by one node at a time,
 * and every node together keeps under a cap of connections per IMAP server.
 *
 * <p>{@link io.mxcutover.sync.lease.LeaseRules} (pure): when a lease is free, the renewal schedule (every third of
 * the period), until when a holder may write (more than a third left), which mailbox a node takes next (the
 * longest since its last pass), which slots a connection may take (IDLE only the lower half of a server's cap).
 * {@link io.mxcutover.sync.lease.LeaseStore} and {@link io.mxcutover.sync.lease.ServerSlotStore}: the SQL (tables
 * {@code sync_lease}, {@code sync_idle_lease}, {@code sync_server_slot} of {@code db/sync/V7__sync_lease.sql}); a
 * claim is a conditional UPDATE checked by its row count, picked with {@code SELECT ... FOR UPDATE SKIP LOCKED} on
 * PostgreSQL. {@link io.mxcutover.sync.lease.NodeLeases}: what one node holds, its renewal thread, and the fence
 * that keeps a node that lost a lease from writing that mailbox's journal or its new-server folders.
 * {@link io.mxcutover.sync.lease.SlottedSessions}: a pass's IMAP sessions, each holding a slot while open.
 *
 * <p>States of a lease row: free (expires_at in the past, 0 once released) -> held by a node (generation + 1,
 * renewed) -> free (released at the end of the pass, or expired when the node died or paused). A row is never
 * deleted. Which node holds what: {@code SELECT node, COUNT(*) FROM sync_lease WHERE expires_at > <now millis>
 * GROUP BY node}.
 *
 * <p>Logs: a lease lost, a renewal or release that failed (warn).
 */
package io.mxcutover.sync.lease;
