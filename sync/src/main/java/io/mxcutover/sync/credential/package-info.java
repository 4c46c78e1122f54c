/**
 * How a mailbox is logged into, and how that is kept: {@link io.mxcutover.sync.credential.Login} (user and
 * password or OAuth2 token, per side), {@link io.mxcutover.sync.credential.SecretBox} (seals passwords and
 * tokens with AES-256-GCM before they reach the state store).
 *
 * <p>OAuth2 (RFC 6749): a server's {@link io.mxcutover.sync.credential.OAuthLogins} gives a mailbox's
 * {@code xoauth2}/{@code oauthbearer} login a {@link io.mxcutover.sync.credential.TokenCache}, which asks the
 * token endpoint ({@link io.mxcutover.sync.credential.HttpTokenGrant}: client-credentials or refresh-token
 * grant, JDK HTTP client) for an access token, renews it five minutes before it expires (the injected clock)
 * and at once after a server refused it. What an endpoint's answer means (a token, a refusal that needs the
 * admin, a transient failure) is decided in {@code HttpTokenGrant.parse}. Nothing here logs.
 *
 * <p>Secrets are {@link io.mxcutover.sync.credential.Secret}s: their {@code toString} is {@code ***},
 * so neither a log line nor an exception message nor an API response can carry one; the OAuth2 records and the
 * cache name the endpoint and the client id only.
 */
package io.mxcutover.sync.credential;
