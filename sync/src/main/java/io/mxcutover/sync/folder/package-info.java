/**
 * Folder mapping: which target folder each source folder is copied into.
 *
 * <p>{@link io.mxcutover.sync.folder.FolderMapping#map} is a pure function of both folder
 * lists, namespaces and {@link io.mxcutover.sync.folder.FolderRules}: separators and prefixes
 * are translated ({@code INBOX.Sent} on a {@code .}/{@code INBOX.} server is {@code Sent} on a
 * {@code /} server), special-use folders (RFC 6154 \Sent \Drafts \Trash \Junk \Archive) go to the
 * target's own folder of the same role, with localized names ({@code Posta inviata},
 * {@code Gesendete Objekte}, {@code Sent Items}) as a fallback, and include/exclude/rename rules
 * apply to the canonical path. Names are Unicode here; modified UTF-7 (RFC 3501 §5.1.3) is
 * encoded and decoded by the IMAP edge, so a non-ASCII name round-trips.
 */
package io.mxcutover.sync.folder;
