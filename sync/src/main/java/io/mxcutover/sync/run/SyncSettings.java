package io.mxcutover.sync.run;

import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.plan.MessageFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the sync runs: the two servers, how many mailboxes at once (each holds two connections
 * per server), folder rules, continuous mode (the shortest and the longest time between two checks of a
 * mailbox, {@code interval} and {@code maxInterval}; IDLE on up to {@code maxIdleMailboxes} INBOXes), the IMAP edge's knobs, the backoff
 * a server's "slow down" imposes on every mailbox on it, and where legacy mailboxes are backed up
 * (as Maildir) before their first copy, if anywhere. With a {@code domain}, the two servers are that domain's:
 * the service never presents the credentials of a mailbox of another domain to them (see {@link #admits}).
 */
public record SyncSettings(
        ImapEndpoint source,
        ImapEndpoint target,
        int parallelMailboxes,
        FolderRules folderRules,
        Duration interval,
        boolean idle,
        int maxIdleMailboxes,
        Duration maxInterval,
        int maxMessageAttempts,
        ImapSettings imap,
        Backoff throttling,
        Optional<Path> backupDir,
        Optional<String> domain,
        Map<String, FolderRules> mailboxFolderRules,
        MessageFilter messages) {
    public SyncSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(folderRules, "folderRules");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(imap, "imap");
        Objects.requireNonNull(throttling, "throttling");
        Objects.requireNonNull(backupDir, "backupDir");
        Objects.requireNonNull(domain, "domain");
        domain = domain.map(d -> d.strip().toLowerCase(java.util.Locale.ROOT));
        Map<String, FolderRules> byAddress = new java.util.HashMap<>();
        Objects.requireNonNull(mailboxFolderRules, "mailboxFolderRules")
                .forEach((a, r) -> byAddress.put(a.strip().toLowerCase(java.util.Locale.ROOT), r));
        mailboxFolderRules = Map.copyOf(byAddress);
        Objects.requireNonNull(messages, "messages");
        if (parallelMailboxes < 1 || parallelMailboxes > 256) {
            throw new IllegalArgumentException("parallel mailboxes must be 1..256, got " + parallelMailboxes);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("continuous sync interval must be positive");
        }
        Objects.requireNonNull(maxInterval, "maxInterval");
        if (maxIdleMailboxes < 0) {
            throw new IllegalArgumentException("max IDLE mailboxes must not be negative");
        }
        if (maxMessageAttempts < 1) {
            throw new IllegalArgumentException("max message attempts must be at least 1");
        }
    }

    public static SyncSettings of(ImapEndpoint source, ImapEndpoint target) {
        return new SyncSettings(
                source,
                target,
                4,
                FolderRules.ALL,
                Duration.ofSeconds(60),
                true,
                50,
                Duration.ofMinutes(15),
                10,
                ImapSettings.defaults(),
                Backoff.THROTTLING,
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                MessageFilter.ALL);
    }

    public SyncSettings withParallelMailboxes(int n) {
        return new SyncSettings(
                source,
                target,
                n,
                folderRules,
                interval,
                idle,
                maxIdleMailboxes,
                maxInterval,
                maxMessageAttempts,
                imap,
                throttling,
                backupDir,
                domain,
                mailboxFolderRules,
                messages);
    }

    public SyncSettings withImap(ImapSettings s) {
        return new SyncSettings(
                source,
                target,
                parallelMailboxes,
                folderRules,
                interval,
                idle,
                maxIdleMailboxes,
                maxInterval,
                maxMessageAttempts,
                s,
                throttling,
                backupDir,
                domain,
                mailboxFolderRules,
                messages);
    }

    public SyncSettings withInterval(Duration d, boolean useIdle) {
        return new SyncSettings(
                source,
                target,
                parallelMailboxes,
                folderRules,
                d,
                useIdle,
                maxIdleMailboxes,
                maxInterval,
                maxMessageAttempts,
                imap,
                throttling,
                backupDir,
                domain,
                mailboxFolderRules,
                messages);
    }

    /**
     * Continuous mode's adaptive checks and its connection budget: a mailbox that has been quiet is checked less
     * and less often, up to every {@code longest} (a mailbox whose INBOX is IDLEd every {@code longest}); at most
     * {@code idleMailboxes} INBOXes are IDLEd, one legacy connection each (see {@link PollSchedule}).
     */
    public SyncSettings withContinuous(Duration longest, int idleMailboxes) {
        return new SyncSettings(
                source,
                target,
                parallelMailboxes,
                folderRules,
                interval,
                idle,
                idleMailboxes,
                longest,
                maxMessageAttempts,
                imap,
                throttling,
                backupDir,
                domain,
                mailboxFolderRules,
                messages);
    }

    public SyncSettings withFolderRules(FolderRules rules) {
        return new SyncSettings(
                source,
                target,
                parallelMailboxes,
                rules,
                interval,
                idle,
                maxIdleMailboxes,
                maxInterval,
                maxMessageAttempts,
                imap,
                throttling,
                backupDir,
                domain,
                mailboxFolderRules,
                messages);
    }

    public SyncSettings withEndpoints(ImapEndpoint newSource, ImapEndpoint newTarget) {
        return new SyncSettings(
                newSource,
                newTarget,
                parallelMailboxes,
                folderRules,
                interval,
                idle,
                maxIdleMailboxes,
                maxInterval,
                maxMessageAttempts,
                imap,
                throttling,
                backupDir,
                domain,
                mailboxFolderRules,
                messages);
    }

    public SyncSettings withThrottling(Backoff backoff) {
        return new SyncSettings(
                source,
                target,
                parallelMailboxes,
                folderRules,
                interval,
                idle,
                maxIdleMailboxes,
                maxInterval,
                maxMessageAttempts,
                imap,
                backoff,
                backupDir,
                domain,
                mailboxFolderRules,
                messages);
    }

    /** Back up each legacy mailbox to {@code dir/<address>/} (Maildir) before its first copy; null: no backup. */
    public SyncSettings withBackupDir(Path dir) {
        return new SyncSettings(
                source,
                target,
                parallelMailboxes,
                folderRules,
                interval,
                idle,
                maxIdleMailboxes,
                maxInterval,
                maxMessageAttempts,
                imap,
                throttling,
                Optional.ofNullable(dir),
                domain,
                mailboxFolderRules,
                messages);
    }

    /**
     * The servers belong to {@code domain} (the appliance: one service per planned domain): only mailboxes of
     * that domain are ever logged in with. Without it (the one-shot CLI) the admin named the servers for the
     * whole list.
     */
    public SyncSettings withDomain(String domain) {
        return new SyncSettings(
                source,
                target,
                parallelMailboxes,
                folderRules,
                interval,
                idle,
                maxIdleMailboxes,
                maxInterval,
                maxMessageAttempts,
                imap,
                throttling,
                backupDir,
                Optional.of(domain),
                mailboxFolderRules,
                messages);
    }

    /**
     * Folder rules of single mailboxes (address to rules, already combined with the domain's), in place of
     * {@link #folderRules()} for them; see {@link #folderRulesFor}.
     */
    public SyncSettings withMailboxFolderRules(Map<String, FolderRules> rules) {
        return new SyncSettings(
                source,
                target,
                parallelMailboxes,
                folderRules,
                interval,
                idle,
                maxIdleMailboxes,
                maxInterval,
                maxMessageAttempts,
                imap,
                throttling,
                backupDir,
                domain,
                rules,
                messages);
    }

    /** Which messages a pass copies (all by default; an age window or none, as imapsync's options ask). */
    public SyncSettings withMessages(MessageFilter filter) {
        return new SyncSettings(
                source,
                target,
                parallelMailboxes,
                folderRules,
                interval,
                idle,
                maxIdleMailboxes,
                maxInterval,
                maxMessageAttempts,
                imap,
                throttling,
                backupDir,
                domain,
                mailboxFolderRules,
                filter);
    }

    /** The folder rules of one mailbox: its own if it has any, else the service's. */
    public FolderRules folderRulesFor(String address) {
        return mailboxFolderRules.getOrDefault(address.strip().toLowerCase(java.util.Locale.ROOT), folderRules);
    }

    /** Whether a mailbox's credentials may be presented to these servers: always without a domain. */
    public boolean admits(String address) {
        return domain.isEmpty() || domain.get().equals(domainOf(address));
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).strip().toLowerCase(java.util.Locale.ROOT);
    }
}
