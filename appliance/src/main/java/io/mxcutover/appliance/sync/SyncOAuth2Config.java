package io.mxcutover.appliance.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mxcutover.sync.credential.OAuthClient;
import io.mxcutover.sync.credential.OAuthLogins;
import io.mxcutover.sync.credential.Secret;
import io.mxcutover.sync.credential.ServiceAccountKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * {@code sync.legacyOAuth2} / {@code sync.newOAuth2} in the service YAML: the OAuth2 client whose tokens the
 * side's {@code xoauth2}/{@code oauthbearer} mailboxes log in with (docs/reference/configuration.md, "OAuth2").
 * The client secret is read from a file or an environment variable, never written in the YAML itself.
 */
public class SyncOAuth2Config {
    /** The token endpoint (https://; http:// only on loopback). */
    @JsonProperty
    public String tokenEndpoint;

    @JsonProperty
    public String clientId;

    /** A file holding the client secret (trailing newline ignored). */
    @JsonProperty
    public String clientSecretFile = "";

    /** An environment variable holding the client secret (when no file is given). */
    @JsonProperty
    public String clientSecretEnv = "";

    /** The scope asked for, e.g. {@code https://outlook.office365.com/.default}. */
    @JsonProperty
    public String scope = "";

    /**
     * A Google service account's JSON key (domain-wide delegation): each mailbox gets a token for itself by the JWT
     * bearer grant; {@code tokenEndpoint}, {@code clientId} and the secret are then not used.
     */
    @JsonProperty
    public String serviceAccountKeyFile = "";

    /** The side's token source: the service account when its key file is set, else the client ({@link #client}). */
    public OAuthLogins logins(String key, UnaryOperator<String> env, Clock clock) {
        if (serviceAccountKeyFile != null && !serviceAccountKeyFile.isBlank()) {
            if (scope == null || scope.isBlank()) {
                throw new IllegalArgumentException(key + ".serviceAccountKeyFile needs " + key
                        + ".scope (https://mail.google.com/ for Gmail IMAP)");
            }
            try {
                return OAuthLogins.serviceAccount(
                        ServiceAccountKey.read(Path.of(serviceAccountKeyFile)), scope.strip(), clock);
            } catch (IOException e) {
                throw new IllegalArgumentException(key + ".serviceAccountKeyFile: " + e.getMessage() + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return OAuthLogins.of(client(key, env), clock);
    }

    /**
     * The client; {@code env} reads an environment variable. Throws with the key and the fix (never a secret) when
     * the section is incomplete or the secret cannot be read.
     */
    public OAuthClient client(String key, UnaryOperator<String> env) {
        if (tokenEndpoint == null || tokenEndpoint.isBlank() || clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException(key + " needs tokenEndpoint and clientId");
        }
        String secret = "";
        if (clientSecretFile != null && !clientSecretFile.isBlank()) {
            try {
                secret = Files.readString(Path.of(clientSecretFile), StandardCharsets.UTF_8)
                        .strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(key + ".clientSecretFile " + clientSecretFile + " cannot be read: "
                        + e.getClass().getSimpleName());
            }
        } else if (clientSecretEnv != null && !clientSecretEnv.isBlank()) {
            String value = env.apply(clientSecretEnv.strip());
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(
                        key + ".clientSecretEnv names " + clientSecretEnv.strip() + ", which is not set");
            }
            secret = value.strip();
        }
        try {
            return OAuthClient.clientCredentials(
                    URI.create(tokenEndpoint.strip()), clientId, Secret.of(secret), scope == null ? "" : scope);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
