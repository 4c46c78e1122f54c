package io.mxcutover.sync.run;

import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.mailbox.ImapEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the sync runs: the two servers, how many mailboxes at once (each holds two connections
 * per server), folder rules, continuous-mode interval and IDLE, the IMAP edge's knobs, the backoff
 * a server's "slow down" imposes on every mailbox on it, and where legacy mailboxes are backed up
 * (as Maildir) before their first copy, if anywhere.
 */
public record SyncSettings(ImapEndpoint source, ImapEndpoint target, int parallelMailboxes, FolderRules folderRules,
                           Duration interval, boolean idle, int maxIdleMailboxes, int maxMessageAttempts,
                           ImapSettings imap, Backoff throttling, Optional<Path> backupDir) {
    public SyncSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(folderRules, "folderRules");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(imap, "imap");
        Objects.requireNonNull(throttling, "throttling");
        Objects.requireNonNull(backupDir, "backupDir");
        if (parallelMailboxes < 1 || parallelMailboxes > 256) {
            throw new IllegalArgumentException("parallel mailboxes must be 1..256, got " + parallelMailboxes);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("continuous sync interval must be positive");
        }
        if (maxMessageAttempts < 1) {
            throw new IllegalArgumentException("max message attempts must be at least 1");
        }
    }

    public static SyncSettings of(ImapEndpoint source, ImapEndpoint target) {
        return new SyncSettings(source, target, 4, FolderRules.ALL, Duration.ofSeconds(60), true, 50, 10,
                ImapSettings.defaults(), Backoff.THROTTLING, Optional.empty());
    }

    public SyncSettings withParallelMailboxes(int n) {
        return new SyncSettings(source, target, n, folderRules, interval, idle, maxIdleMailboxes, maxMessageAttempts, imap,
                throttling, backupDir);
    }

    public SyncSettings withImap(ImapSettings s) {
        return new SyncSettings(source, target, parallelMailboxes, folderRules, interval, idle, maxIdleMailboxes,
                maxMessageAttempts, s, throttling, backupDir);
    }

    public SyncSettings withInterval(Duration d, boolean useIdle) {
        return new SyncSettings(source, target, parallelMailboxes, folderRules, d, useIdle, maxIdleMailboxes,
                maxMessageAttempts, imap, throttling, backupDir);
    }

    public SyncSettings withFolderRules(FolderRules rules) {
        return new SyncSettings(source, target, parallelMailboxes, rules, interval, idle, maxIdleMailboxes,
                maxMessageAttempts, imap, throttling, backupDir);
    }

    public SyncSettings withEndpoints(ImapEndpoint newSource, ImapEndpoint newTarget) {
        return new SyncSettings(newSource, newTarget, parallelMailboxes, folderRules, interval, idle, maxIdleMailboxes,
                maxMessageAttempts, imap, throttling, backupDir);
    }

    public SyncSettings withThrottling(Backoff backoff) {
        return new SyncSettings(source, target, parallelMailboxes, folderRules, interval, idle, maxIdleMailboxes,
                maxMessageAttempts, imap, backoff, backupDir);
    }

    /** Back up each legacy mailbox to {@code dir/<address>/} (Maildir) before its first copy; null: no backup. */
    public SyncSettings withBackupDir(Path dir) {
        return new SyncSettings(source, target, parallelMailboxes, folderRules, interval, idle, maxIdleMailboxes,
                maxMessageAttempts, imap, throttling, Optional.ofNullable(dir));
    }
}
