package io.mxcutover.appliance.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The {@code sync:} section of the service YAML: how the appliance copies mailboxes. The
 * servers come from the plan (each domain's {@code legacy.imap} and {@code new.imap}); the
 * mailboxes from CSV imports ({@code POST /api/v1/mailboxes}).
 */
public class SyncConfig {
    /** Run the continuous sync (history, then new arrivals) for every planned domain with IMAP on both sides. */
    @JsonProperty
    public boolean enabled = true;

    /** Mailboxes copied at the same time per domain; each holds two connections per server. */
    @Min(1)
    @Max(64)
    @JsonProperty
    public int parallelMailboxes = 4;

    /**
     * Seconds between two checks of a mailbox that just changed (STATUS of every folder; nothing is fetched when
     * nothing changed). A quiet mailbox is checked less often, up to every {@link #maxIntervalSeconds}.
     */
    @Min(5)
    @JsonProperty
    public int intervalSeconds = 60;

    /**
     * The longest time between two checks of a mailbox: one quiet for a long time, or one whose INBOX is IDLEd (for
     * its other folders). Below {@link #intervalSeconds}: every mailbox every {@code intervalSeconds}.
     */
    @Min(5)
    @JsonProperty
    public int maxIntervalSeconds = 900;

    /** IDLE on INBOX for near-immediate copies of new arrivals. */
    @JsonProperty
    public boolean idle = true;

    /**
     * At most this many INBOXes are IDLEd (one connection each to the legacy server); with the passes, a domain holds
     * at most {@code maxIdleMailboxes + 2 x parallelMailboxes} connections to its legacy server.
     */
    @Min(0)
    @JsonProperty
    public int maxIdleMailboxes = 50;

    /**
     * AES-256 key sealing mailbox passwords in the store (created when missing, mode 0600); MXCUTOVER_SYNC_KEY
     * overrides. Empty: {@code sync.key} next to the store file.
     */
    @JsonProperty
    public String keyFile = "";

    /** Where messages larger than 4 MB are spooled between fetch and append. Empty: {@code sync-tmp} next to the store file. */
    @JsonProperty
    public String tempDir = "";

    /** Master (admin) user on the legacy server: SASL PLAIN with the mailbox login as authorization id. */
    @JsonProperty
    public String legacyMasterUser;

    @JsonProperty
    public String legacyMasterPassword;

    /** Master (admin) user on the new server. */
    @JsonProperty
    public String newMasterUser;

    @JsonProperty
    public String newMasterPassword;

    /**
     * OAuth2 client of the legacy server: its {@code xoauth2}/{@code oauthbearer} mailboxes log in with its tokens
     * (client credentials when the mailbox's password column is empty, else that column is the mailbox's refresh
     * token). Absent: such a mailbox's password column is a bearer token used as it is.
     */
    @JsonProperty
    public SyncOAuth2Config legacyOAuth2;

    /** OAuth2 client of the new server (as {@link #legacyOAuth2}). */
    @JsonProperty
    public SyncOAuth2Config newOAuth2;

    /** Trust any TLS certificate of the configured IMAP hosts (test set-ups with self-signed certificates only). */
    @JsonProperty
    public boolean trustAnyCertificate = false;

    /**
     * Back up each legacy mailbox to {@code <backupDir>/<address>/} (Maildir) before its first copy. Empty: no
     * backup. The new server is checked against it with {@code mxcutover sync ... --check-backup DIR}.
     */
    @JsonProperty
    public String backupDir = "";

    /** First pause of every mailbox on a server that asked to slow down; doubled per throttle in a row, up to 10 minutes. */
    @Min(1)
    @Max(600)
    @JsonProperty
    public int throttleBackoffSeconds = 5;

    /**
     * Seconds a node holds a mailbox's lease without renewing it (renewed every third of it while the node works):
     * when a node dies, the other nodes sharing the store take its mailboxes over after this long.
     */
    @Min(3)
    @Max(3600)
    @JsonProperty
    public int leaseSeconds = 30;

    /** Connections to one legacy IMAP server (host:port) across every node sharing the store: copies and IDLE. */
    @Min(1)
    @Max(10000)
    @JsonProperty
    public int maxConnectionsPerLegacyServer = 40;

    /** Connections to one new IMAP server (host:port) across every node sharing the store. */
    @Min(1)
    @Max(10000)
    @JsonProperty
    public int maxConnectionsPerNewServer = 40;
}
