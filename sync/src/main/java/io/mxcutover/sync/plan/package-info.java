/**
 * The copy plan: what to do in one folder, decided without touching a server.
 *
 * <p>{@link io.mxcutover.sync.plan.SyncPlan#plan} takes the source snapshot, the target
 * snapshot and the folder's {@link io.mxcutover.sync.plan.FolderState} and returns
 * {@link io.mxcutover.sync.plan.Step}s: {@code Copy}, {@code Adopt} (the target already has it),
 * {@code Rebind} (UIDVALIDITY changed, found by identity) and {@code SetFlags} (source flag
 * changes, merged three-way so user changes on the target are kept). Messages are matched by
 * {@link io.mxcutover.sync.plan.Identity}, never by rewriting them. A message recorded as copied
 * is never copied again, so a deletion on the target is never undone.
 */
package io.mxcutover.sync.plan;
