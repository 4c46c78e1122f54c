/**
 * The mailbox list: which mailboxes move, and the admin's file that says so.
 *
 * <p>{@link io.mxcutover.sync.mailbox.MailboxCsv} reads the admin's list (CSV with header
 * {@code address,legacy_login,legacy_password,new_login,new_password}, or {@code user:pass[:alias]}
 * lines), all or nothing: {@link io.mxcutover.sync.mailbox.InvalidMailboxList} carries every problem (line,
 * what, fix). Every address is {@code local@domain} ({@link io.mxcutover.sync.mailbox.MailboxAddress}): the
 * domain decides which servers may see the mailbox's logins. Each entry is a
 * {@link io.mxcutover.sync.mailbox.MailboxAccount} with a {@code credential.Login} per side.
 */
package io.mxcutover.sync.mailbox;
