/**
 * Backup: a legacy mailbox exported to a local Maildir tree before its first copy, and a check of
 * the new server against that backup.
 *
 * <p>{@link io.mxcutover.sync.backup.MaildirBackup} writes {@code <backupDir>/<address>/} as a Maildir++
 * tree (INBOX is the root, {@code .Archive.2019} a sub-folder, names in modified UTF-7 like Dovecot's):
 * one file per message holding the exact bytes {@code BODY.PEEK[]} returned, its flags in the Maildir
 * name ({@code :2,FS}; keywords as {@code a}..{@code z} listed in {@code dovecot-keywords}), its
 * INTERNALDATE as the file's modification time, {@code S=<size>} and the source UIDVALIDITY/UID in the
 * name. Files go through {@code tmp/} and are renamed into {@code cur/}, so an interrupted backup
 * resumes where it stopped; {@code mxcutover-backup.tsv} names the source folders (and the source
 * namespace) and {@code mxcutover-backup.complete} marks the end. Any Maildir reader (Dovecot, mutt,
 * mbsync) can open the tree.
 *
 * <p>{@link io.mxcutover.sync.backup.BackupCheck} reads a backup and looks every message up on the new
 * server by {@link io.mxcutover.sync.plan.Identity} (folders mapped as the sync maps them), then compares
 * the bytes (SHA-256): {@link io.mxcutover.sync.backup.BackupReport} lists what is missing and what differs.
 * It only reads the new server (EXAMINE, BODY.PEEK).
 */
package io.mxcutover.sync.backup;
