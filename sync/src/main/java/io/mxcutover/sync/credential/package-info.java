/**
 * How a mailbox is logged into, and how that is kept: {@link io.mxcutover.sync.credential.Login} (user and
 * password or OAuth2 token, per side), {@link io.mxcutover.sync.credential.SecretBox} (seals passwords and
 * tokens with AES-256-GCM before they reach the state store).
 *
 * <p>Secrets are {@link io.mxcutover.sync.credential.Secret}s: their {@code toString} is {@code ***},
 * so neither a log line nor an exception message nor an API response can carry one.
 */
package io.mxcutover.sync.credential;
