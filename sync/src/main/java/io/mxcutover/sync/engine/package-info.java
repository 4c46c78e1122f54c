/**
 * One pass over one mailbox: {@link io.mxcutover.sync.engine.MailboxSync} lists the legacy folders, maps
 * them once ({@link io.mxcutover.sync.engine.FolderPlanner}, replayed from the state after a restart), and
 * for each folder that changed since its checkpoint copies what is new with
 * {@link io.mxcutover.sync.engine.BatchCopier} (FETCH from legacy and APPEND to new at the same time, in
 * batches), recording an intent before each APPEND and the mapping after it, so that a crash at any step
 * neither loses nor duplicates a message. The outcome is a {@link io.mxcutover.sync.engine.MailboxResult}
 * with a {@link io.mxcutover.sync.engine.FolderResult} per folder. {@link io.mxcutover.sync.engine.Inventory}
 * lists a mailbox not yet copied for the ETA (all or nothing).
 *
 * <p>The engine reaches the servers only through the session types of {@code sync.imap}: the source as a
 * {@link io.mxcutover.sync.imap.SourceStore} (read-only by type), the target as a
 * {@link io.mxcutover.sync.imap.TargetStore}, opened by {@link io.mxcutover.sync.engine.MailboxSessions}
 * (IMAP in production). Crash tests stop the engine at each {@link io.mxcutover.sync.engine.FaultPoint}
 * through a {@link io.mxcutover.sync.engine.FaultInjector} ({@code NONE} in production): in milliseconds
 * over in-memory servers ({@code MailboxSyncCrashTest}: every point, every n-th time), and against real
 * Dovecots ({@code SyncCrashIT}).
 */
package io.mxcutover.sync.engine;
