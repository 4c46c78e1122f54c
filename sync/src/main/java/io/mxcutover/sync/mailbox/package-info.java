/**
 * The mailbox plan: which mailboxes move and how each side is logged into.
 *
 * <p>{@link io.mxcutover.sync.mailbox.MailboxCsv} reads the admin's list (CSV with header
 * {@code address,legacy_login,legacy_password,new_login,new_password}, or {@code user:pass[:alias]}
 * lines), all or nothing: {@link io.mxcutover.sync.mailbox.InvalidMailboxList} carries every problem (line,
 * what, fix). Every address is {@code local@domain} ({@link io.mxcutover.sync.mailbox.MailboxAddress}): the
 * domain decides which servers may see the mailbox's logins. {@link io.mxcutover.sync.mailbox.ImapEndpoint} describes a server side: TLS, STARTTLS
 * or plain, and an optional master user (SASL PLAIN with authorization id; never the LOGIN
 * fallback, which would open the master's own mailbox). {@link io.mxcutover.sync.mailbox.SecretBox}
 * seals passwords and tokens with AES-256-GCM before they reach the state store.
 *
 * <p>Secrets are {@link io.mxcutover.sync.mailbox.Secret}s: their {@code toString} is {@code ***},
 * so neither a log line nor an exception message nor an API response can carry one.
 */
package io.mxcutover.sync.mailbox;
