/**
 * Keeps accepted mail durable until a route takes it: a file spool in the style of Postfix's
 * queue directories.
 *
 * <h2>Directories (states)</h2>
 * <pre>
 *   incoming/  just accepted (and {@code <id>.tmp} while a message is being received)
 *   active/    a delivery worker has it
 *   deferred/  waiting for its next attempt
 *   hold/      stopped by an admin; not delivered until released
 *   corrupt/   set aside: incomplete or damaged, never delivered, never deleted; beside each
 *              file a {@code .why} saying whether its sender was told 250 ({@link io.mxcutover.relay.spool.SetAside})
 *   status/    one small file per message with delivery progress (attempts, next attempt,
 *              recipients done, last reply); absent = nothing tried yet
 *   recycle/   emptied files of finished messages, reused for new ones (no inode allocation
 *              per message); never messages, ignored by recovery
 * </pre>
 *
 * <h2>Durability (why a 250 is safe)</h2>
 * A message is written to {@code incoming/<id>.tmp}: envelope header, the message bytes, then a
 * trailer record ({@code END <length> <crc32c>}). The file is atomically renamed to
 * {@code incoming/<id>}, forced to disk, and the directory is fsynced; only then does intake
 * answer 250. (Renaming before the force puts the rename in the same journal commit as the
 * data, so on ext4 the directory fsync finds nothing left to write: one journal commit per
 * message instead of two. The trailer and checksum, not the name, say a file is complete.)
 * Directory fsyncs are shared by concurrent sessions ({@link io.mxcutover.relay.spool.GroupCommit}),
 * while each session forces its own file in parallel, so throughput does not collapse to one
 * fsync round per message. A session registers its rename with the group commit before forcing
 * its file, so a directory fsync led by another session can overlap with that force. A file without a valid trailer is incomplete: at start it is moved to
 * {@code corrupt/} and logged once with its queue id, as never acknowledged ("no action needed":
 * the sender retries by itself); a complete file that no longer reads back was acknowledged and
 * is logged as an ERROR that needs action. See docs/spool.md for the clean-up.
 *
 * <p>Moves between {@code incoming}, {@code active} and {@code deferred} are not fsynced: the
 * status file (written as {@code .new}, forced, renamed, directory fsynced) is the truth about
 * when to try next, and recovery treats the three directories alike. Moves into and out of
 * {@code hold/} are fsynced because they record an admin's decision. A delivered message's file
 * is removed (renamed into {@code recycle/} and emptied, or unlinked when the pool is full)
 * before its status file; that step is not fsynced (like Postfix's unlink), so a killed
 * process can only duplicate a message that was in flight, and an operating-system crash can
 * also re-deliver messages finished in the last journal interval; never lose one.
 *
 * <p>Spool errors surface as {@link io.mxcutover.relay.spool.SpoolException} (451 at intake) or
 * {@link io.mxcutover.relay.spool.SpoolFullException} (452). {@link io.mxcutover.relay.spool.SpoolFaults}
 * lets tests fail or halt at each step.
 */
package io.mxcutover.relay.spool;
