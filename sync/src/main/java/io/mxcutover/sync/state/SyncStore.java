package io.mxcutover.sync.state;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.credential.SecretBox;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.plan.CopyRecord;
import io.mxcutover.sync.plan.CopyState;
import io.mxcutover.sync.plan.FolderState;
import io.mxcutover.sync.plan.Identity;
import io.mxcutover.sync.plan.MessageMeta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The sync state in the appliance's SQL store (schema: {@code db/sync/V1__sync_state.sql}).
 * Every write is one transaction; message rows are written in batches. Writes are serialized
 * inside this JVM because SQLite has a single writer anyway and a lock is cheaper than
 * SQLITE_BUSY retries.
 *
 * <p>Order of the journal (STYLE §4): {@link #recordIntents} is committed before the APPENDs,
 * {@link #recordCopied} after; a checkpoint ({@link #saveCheckpoint}) is written last.
 */
public final class SyncStore {
    private final DataSource dataSource;
    private final Clock clock;
    private final ReentrantLock writeLock;
    private final WriteFence fence;

    public SyncStore(DataSource dataSource, Clock clock) {
        this(dataSource, clock, new ReentrantLock(), WriteFence.NONE);
    }

    private SyncStore(DataSource dataSource, Clock clock, ReentrantLock writeLock, WriteFence fence) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.writeLock = writeLock;
        this.fence = fence;
    }

    /**
     * This store, with each write of a mailbox's journal checked by {@code fence} inside its transaction (leased
     * sync work: a node that lost the mailbox's lease writes nothing more there). Shares this store's write lock.
     */
    public SyncStore fencedBy(WriteFence fence) {
        return new SyncStore(dataSource, clock, writeLock, java.util.Objects.requireNonNull(fence, "fence"));
    }

    /** Before a side effect on the new server for {@code mailbox} (APPEND, CREATE, STORE): see {@link WriteFence}. */
    public void beforeTargetWrite(String mailbox) {
        fence.beforeTargetWrite(mailbox);
    }

    /** A message whose copy finished: source UID, target UIDVALIDITY/UID (0 if unknown), content hash, flags set. */
    public record Copied(MessageMeta source, long targetUidValidity, long targetUid, String contentSha256) {}

    // ---- mailboxes ---------------------------------------------------------------------

    public void saveMailboxes(List<MailboxAccount> accounts, SecretBox box) {
        saveMailboxes(accounts, box, a -> false);
    }

    /**
     * Stores the accounts, secrets sealed. A new mailbox that {@code awaitsUser} accepts starts in
     * {@code AWAITING_USER} (no legacy password: its user gives it on the self-service page), the others in
     * {@code PENDING}. On a re-import a row without a password keeps the password a user already gave (and
     * its status), and a row that waited for its user and now comes with a password becomes {@code PENDING}.
     */
    public void saveMailboxes(
            List<MailboxAccount> accounts, SecretBox box, java.util.function.Predicate<MailboxAccount> awaitsUser) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sync_mailbox (address, source_login, source_secret, source_auth, target_login, target_secret,"
                            + " target_auth, status, updated_at, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
                            + " ON CONFLICT (address) DO UPDATE SET source_login = excluded.source_login,"
                            + " source_secret = CASE WHEN excluded.status = 'AWAITING_USER'"
                            + " AND sync_mailbox.status <> 'AWAITING_USER' THEN sync_mailbox.source_secret"
                            + " ELSE excluded.source_secret END,"
                            + " source_auth = excluded.source_auth,"
                            + " target_login = excluded.target_login, target_secret = excluded.target_secret,"
                            + " target_auth = excluded.target_auth, updated_at = excluded.updated_at,"
                            + " status = CASE WHEN sync_mailbox.status = 'AWAITING_USER'"
                            + " AND excluded.status <> 'AWAITING_USER' THEN 'PENDING' ELSE sync_mailbox.status END")) {
                for (MailboxAccount a : accounts) {
                    ps.setString(1, a.address());
                    ps.setString(2, a.source().user());
                    ps.setString(3, box.seal(a.source().secret(), a.address() + "/source"));
                    ps.setString(4, a.source().kind().name());
                    ps.setString(5, a.target().user());
                    ps.setString(6, box.seal(a.target().secret(), a.address() + "/target"));
                    ps.setString(7, a.target().kind().name());
                    ps.setString(8, awaitsUser.test(a) ? "AWAITING_USER" : "PENDING");
                    ps.setLong(9, now());
                    ps.setLong(10, now());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** A mailbox waiting for its user's self-service login, and when it was imported. */
    public record AwaitingUser(String address, Optional<Instant> importedAt) {}

    /** When each mailbox was first imported (rows of stores older than that column have their last update). */
    public Map<String, Instant> importedAt() {
        Map<String, Instant> out = new LinkedHashMap<>();
        query(
                "SELECT address, imported_at FROM sync_mailbox WHERE imported_at IS NOT NULL",
                ps -> {},
                rs -> out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))));
        return out;
    }

    /** The mailboxes in {@code AWAITING_USER}, oldest import first. */
    public List<AwaitingUser> awaitingUser() {
        return query(
                "SELECT address, imported_at FROM sync_mailbox WHERE status = 'AWAITING_USER'"
                        + " ORDER BY imported_at, address",
                ps -> {},
                rs -> {
                    long at = rs.getLong(2);
                    return new AwaitingUser(
                            rs.getString(1), rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at)));
                });
    }

    /**
     * The user gave the legacy password (checked by a LOGIN on legacy): it is sealed in place of the empty one,
     * with the new-server password when one is given (a set-password hook set it there), and a mailbox that
     * waited becomes {@code PENDING}. False when the mailbox is not in the store.
     */
    public boolean userLoggedIn(
            String address,
            io.mxcutover.sync.credential.Secret source,
            Optional<io.mxcutover.sync.credential.Secret> target,
            SecretBox box) {
        boolean[] found = {false};
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_mailbox SET source_secret = ?,"
                    + " target_secret = COALESCE(?, target_secret), user_login_at = ?, updated_at = ?,"
                    + " status = CASE WHEN status = 'AWAITING_USER' THEN 'PENDING' ELSE status END"
                    + " WHERE address = ?")) {
                ps.setString(1, box.seal(source, address + "/source"));
                ps.setString(
                        2, target.map(t -> box.seal(t, address + "/target")).orElse(null));
                ps.setLong(3, now());
                ps.setLong(4, now());
                ps.setString(5, address);
                found[0] = ps.executeUpdate() == 1;
            }
        });
        return found[0];
    }

    public Optional<MailboxAccount> account(String address, SecretBox box) {
        return query(
                        "SELECT source_login, source_secret, source_auth, target_login, target_secret, target_auth"
                                + " FROM sync_mailbox WHERE address = ?",
                        ps -> ps.setString(1, address),
                        rs -> {
                            String a = address;
                            Login source = new Login(
                                    rs.getString(1),
                                    box.open(rs.getString(2), a + "/source"),
                                    Login.Kind.valueOf(rs.getString(3)));
                            Login target = new Login(
                                    rs.getString(4),
                                    box.open(rs.getString(5), a + "/target"),
                                    Login.Kind.valueOf(rs.getString(6)));
                            return new MailboxAccount(a, source, target);
                        })
                .stream()
                .findFirst();
    }

    public List<MailboxStatus> mailboxes() {
        return query(
                "SELECT address, status, reason, started_at, finished_at FROM sync_mailbox ORDER BY address",
                ps -> {},
                SyncStore::status);
    }

    public Optional<MailboxStatus> mailbox(String address) {
        return query(
                        "SELECT address, status, reason, started_at, finished_at FROM sync_mailbox WHERE address = ?",
                        ps -> ps.setString(1, address),
                        SyncStore::status)
                .stream()
                .findFirst();
    }

    private static MailboxStatus status(ResultSet rs) throws SQLException {
        long started = rs.getLong(4);
        boolean startedNull = rs.wasNull();
        long finished = rs.getLong(5);
        boolean finishedNull = rs.wasNull();
        return new MailboxStatus(
                rs.getString(1),
                MailboxStatus.Phase.valueOf(rs.getString(2)),
                Optional.ofNullable(rs.getString(3)),
                startedNull ? Optional.empty() : Optional.of(Instant.ofEpochMilli(started)),
                finishedNull ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished)));
    }

    public void mailboxStarted(String address) {
        updateFor(
                address,
                "UPDATE sync_mailbox SET status = 'SYNCING', started_at = ?, updated_at = ? WHERE address = ?",
                now(),
                now(),
                address);
    }

    public void mailboxFinished(String address, MailboxStatus.Phase phase, String reason) {
        mailboxFinished(address, phase, reason, List.of());
    }

    /**
     * The end of a pass, in one transaction (there were three, each taking the write lock and, when it deleted a
     * row, an fsync): the mailbox's phase and reason; unless it FAILED, its mailbox-level failure forgotten; and the
     * folder-level failures of {@code completedFolders}. All or nothing: a crash cannot leave a mailbox SYNCED with
     * its old failure still listed.
     */
    public void mailboxFinished(
            String address, MailboxStatus.Phase phase, String reason, List<String> completedFolders) {
        writeFor(address, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sync_mailbox SET status = ?, reason = ?, finished_at = ?, updated_at = ? WHERE address = ?")) {
                ps.setString(1, phase.name());
                ps.setString(2, reason);
                ps.setLong(3, now());
                ps.setLong(4, now());
                ps.setString(5, address);
                ps.executeUpdate();
            }
            if (phase != MailboxStatus.Phase.FAILED) {
                try (PreparedStatement ps =
                        c.prepareStatement("DELETE FROM sync_failure WHERE mailbox = ? AND scope = 'MAILBOX'")) {
                    ps.setString(1, address);
                    ps.executeUpdate();
                }
            }
            deleteFolderFailures(c, address, completedFolders);
        });
    }

    // ---- folders -----------------------------------------------------------------------

    public Optional<FolderCheckpoint> checkpoint(String mailbox, String sourceFolder) {
        return query(
                        "SELECT target_folder, source_uidvalidity, source_uidnext, source_messages, source_highestmodseq,"
                                + " target_uidvalidity, target_uidnext, target_messages, target_highestmodseq, complete"
                                + " FROM sync_folder WHERE mailbox = ? AND source_folder = ?",
                        ps -> {
                            ps.setString(1, mailbox);
                            ps.setString(2, sourceFolder);
                        },
                        rs -> new FolderCheckpoint(
                                sourceFolder,
                                rs.getString(1),
                                new FolderCheckpoint.SideStatus(
                                        rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                                new FolderCheckpoint.SideStatus(
                                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)),
                                rs.getInt(10) == 1))
                .stream()
                .findFirst();
    }

    public void saveCheckpoint(String mailbox, FolderCheckpoint cp) {
        writeFor(mailbox, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sync_folder (mailbox, source_folder, target_folder, source_uidvalidity, source_uidnext,"
                            + " source_messages, source_highestmodseq, target_uidvalidity, target_uidnext, target_messages,"
                            + " target_highestmodseq, complete, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                            + " ON CONFLICT (mailbox, source_folder) DO UPDATE SET target_folder = excluded.target_folder,"
                            + " source_uidvalidity = excluded.source_uidvalidity, source_uidnext = excluded.source_uidnext,"
                            + " source_messages = excluded.source_messages,"
                            + " source_highestmodseq = excluded.source_highestmodseq,"
                            + " target_uidvalidity = excluded.target_uidvalidity, target_uidnext = excluded.target_uidnext,"
                            + " target_messages = excluded.target_messages,"
                            + " target_highestmodseq = excluded.target_highestmodseq, complete = excluded.complete,"
                            + " updated_at = excluded.updated_at")) {
                ps.setString(1, mailbox);
                ps.setString(2, cp.sourceFolder());
                ps.setString(3, cp.targetFolder());
                ps.setLong(4, cp.source().uidValidity());
                ps.setLong(5, cp.source().uidNext());
                ps.setLong(6, cp.source().messages());
                ps.setLong(7, cp.source().highestModSeq());
                ps.setLong(8, cp.target().uidValidity());
                ps.setLong(9, cp.target().uidNext());
                ps.setLong(10, cp.target().messages());
                ps.setLong(11, cp.target().highestModSeq());
                ps.setInt(12, cp.complete() ? 1 : 0);
                ps.setLong(13, now());
                ps.executeUpdate();
            }
        });
    }

    // ---- the folder plan ----------------------------------------------------------------

    /** The journaled folder plan of a mailbox (empty before its first pass that reached the target). */
    public List<PlannedFolder> plannedFolders(String mailbox) {
        return query(
                "SELECT source_folder, target_folder, created_by_sync, state, move_kind, move_reason"
                        + " FROM sync_folder_plan WHERE mailbox = ? ORDER BY source_folder",
                ps -> ps.setString(1, mailbox),
                rs -> new PlannedFolder(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getInt(3) == 1,
                        !"PLANNED".equals(rs.getString(4)),
                        new io.mxcutover.sync.folder.FolderMove(
                                rs.getString(1),
                                rs.getString(2),
                                io.mxcutover.sync.folder.FolderMove.Kind.valueOf(rs.getString(5)),
                                rs.getString(6))));
    }

    /**
     * Journals new lines of the folder plan in one transaction, before any of their target folders is
     * created. A line whose folder exists (CREATED, EXISTED) is never replaced; a PLANNED one is (the
     * planner decides such a line again only when its folder was never created).
     */
    public void planFolders(String mailbox, List<PlannedFolder> folders) {
        if (folders.isEmpty()) {
            return;
        }
        writeFor(mailbox, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_folder_plan (mailbox, source_folder,"
                    + " target_folder, created_by_sync, state, move_kind, move_reason, planned_at)"
                    + " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (mailbox, source_folder) DO UPDATE SET"
                    + " target_folder = excluded.target_folder, created_by_sync = excluded.created_by_sync,"
                    + " state = excluded.state, move_kind = excluded.move_kind, move_reason = excluded.move_reason,"
                    + " planned_at = excluded.planned_at WHERE sync_folder_plan.state = 'PLANNED'")) {
                for (PlannedFolder f : folders) {
                    ps.setString(1, mailbox);
                    ps.setString(2, f.sourceFolder());
                    ps.setString(3, f.targetFolder());
                    ps.setInt(4, f.createdBySync() ? 1 : 0);
                    ps.setString(5, f.created() ? (f.createdBySync() ? "CREATED" : "EXISTED") : "PLANNED");
                    ps.setString(6, f.move().kind().name());
                    ps.setString(7, f.move().reason());
                    ps.setLong(8, now());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** The target folder of a planned line now exists (after CREATE, or found there on a restart). */
    public void folderCreated(String mailbox, String sourceFolder) {
        update(
                "UPDATE sync_folder_plan SET state = CASE WHEN created_by_sync = 1 THEN 'CREATED' ELSE 'EXISTED' END"
                        + " WHERE mailbox = ? AND source_folder = ? AND state = 'PLANNED'",
                mailbox,
                sourceFolder);
    }

    /** Source UID to the target folder its journal row names, for one source folder and UIDVALIDITY. */
    public Map<Long, String> copyTargets(String mailbox, String sourceFolder, long sourceUidValidity) {
        Map<Long, String> out = new java.util.HashMap<>();
        query(
                "SELECT source_uid, target_folder FROM sync_message WHERE mailbox = ? AND source_folder = ?"
                        + " AND source_uidvalidity = ?",
                ps -> {
                    ps.setString(1, mailbox);
                    ps.setString(2, sourceFolder);
                    ps.setLong(3, sourceUidValidity);
                },
                rs -> out.put(rs.getLong(1), rs.getString(2)));
        return out;
    }

    // ---- messages (the journal) --------------------------------------------------------

    public FolderState folderState(String mailbox, String sourceFolder) {
        List<CopyRecord> records = query(
                "SELECT source_uidvalidity, source_uid, message_id, size, internal_date,"
                        + " identity, target_uidvalidity, target_uid, flags, state FROM sync_message"
                        + " WHERE mailbox = ? AND source_folder = ?",
                ps -> {
                    ps.setString(1, mailbox);
                    ps.setString(2, sourceFolder);
                },
                rs -> {
                    String key = rs.getString(6);
                    String digest = key.substring(key.lastIndexOf(':') + 1);
                    Identity id = new Identity(rs.getString(3), rs.getLong(4), rs.getLong(5), digest);
                    return new CopyRecord(
                            rs.getLong(1),
                            rs.getLong(2),
                            id,
                            rs.getLong(7),
                            rs.getLong(8),
                            flags(rs.getString(9)),
                            CopyState.valueOf(rs.getString(10)));
                });
        return new FolderState(sourceFolder, records);
    }

    /** Journals the intent to copy these messages. Committed before any of them is appended. */
    public void recordIntents(
            String mailbox,
            String sourceFolder,
            String targetFolder,
            long sourceUidValidity,
            List<MessageMeta> messages) {
        writeFor(mailbox, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sync_message (mailbox, source_folder, source_uidvalidity, source_uid, target_folder,"
                            + " target_uidvalidity, target_uid, identity, message_id, size, internal_date, flags,"
                            + " content_sha256, state, updated_at) VALUES (?,?,?,?,?,0,0,?,?,?,?,?,NULL,'INTENT',?)"
                            + " ON CONFLICT (mailbox, source_folder, source_uidvalidity, source_uid) DO UPDATE SET"
                            + " target_folder = excluded.target_folder, identity = excluded.identity,"
                            + " updated_at = excluded.updated_at")) {
                for (MessageMeta m : messages) {
                    bindMessage(ps, mailbox, sourceFolder, targetFolder, sourceUidValidity, m);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    private void bindMessage(
            PreparedStatement ps,
            String mailbox,
            String sourceFolder,
            String targetFolder,
            long uidValidity,
            MessageMeta m)
            throws SQLException {
        ps.setString(1, mailbox);
        ps.setString(2, sourceFolder);
        ps.setLong(3, uidValidity);
        ps.setLong(4, m.uid());
        ps.setString(5, targetFolder);
        ps.setString(6, m.identity().key());
        ps.setString(7, truncate(m.identity().messageId(), 1000));
        ps.setLong(8, m.identity().size());
        ps.setLong(9, m.identity().internalDate());
        ps.setString(10, String.join(" ", m.flags()));
        ps.setLong(11, now());
    }

    /** Records finished copies (or adoptions): state DONE with the target UID and the content hash. */
    public void recordCopied(
            String mailbox, String sourceFolder, String targetFolder, long sourceUidValidity, List<Copied> copied) {
        if (copied.isEmpty()) {
            return;
        }
        writeFor(mailbox, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sync_message (mailbox, source_folder, source_uidvalidity, source_uid, target_folder,"
                            + " target_uidvalidity, target_uid, identity, message_id, size, internal_date, flags,"
                            + " content_sha256, state, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'DONE',?)"
                            + " ON CONFLICT (mailbox, source_folder, source_uidvalidity, source_uid) DO UPDATE SET"
                            + " target_folder = excluded.target_folder, target_uidvalidity = excluded.target_uidvalidity,"
                            + " target_uid = excluded.target_uid, flags = excluded.flags,"
                            + " content_sha256 = COALESCE(excluded.content_sha256, sync_message.content_sha256),"
                            + " state = 'DONE', updated_at = excluded.updated_at")) {
                for (Copied d : copied) {
                    MessageMeta m = d.source();
                    ps.setString(1, mailbox);
                    ps.setString(2, sourceFolder);
                    ps.setLong(3, sourceUidValidity);
                    ps.setLong(4, m.uid());
                    ps.setString(5, targetFolder);
                    ps.setLong(6, d.targetUidValidity());
                    ps.setLong(7, d.targetUid());
                    ps.setString(8, m.identity().key());
                    ps.setString(9, truncate(m.identity().messageId(), 1000));
                    ps.setLong(10, m.identity().size());
                    ps.setLong(11, m.identity().internalDate());
                    ps.setString(12, String.join(" ", m.flags()));
                    ps.setString(13, d.contentSha256());
                    ps.setLong(14, now());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** Moves records copied under an old source UIDVALIDITY to the messages' new UIDs (one transaction). */
    public void rebind(
            String mailbox, String sourceFolder, long newUidValidity, List<Map.Entry<CopyRecord, MessageMeta>> moves) {
        if (moves.isEmpty()) {
            return;
        }
        writeFor(mailbox, c -> {
            try (PreparedStatement del =
                            c.prepareStatement("DELETE FROM sync_message WHERE mailbox = ? AND source_folder = ?"
                                    + " AND source_uidvalidity = ? AND source_uid = ?");
                    PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO sync_message (mailbox, source_folder,"
                                    + " source_uidvalidity, source_uid, target_folder, target_uidvalidity, target_uid, identity, message_id,"
                                    + " size, internal_date, flags, content_sha256, state, updated_at)"
                                    + " SELECT mailbox, source_folder, ?, ?, target_folder, target_uidvalidity, target_uid, identity,"
                                    + " message_id, size, internal_date, flags, content_sha256, state, ? FROM sync_message"
                                    + " WHERE mailbox = ? AND source_folder = ? AND source_uidvalidity = ? AND source_uid = ?")) {
                for (Map.Entry<CopyRecord, MessageMeta> move : moves) {
                    CopyRecord old = move.getKey();
                    ins.setLong(1, newUidValidity);
                    ins.setLong(2, move.getValue().uid());
                    ins.setLong(3, now());
                    ins.setString(4, mailbox);
                    ins.setString(5, sourceFolder);
                    ins.setLong(6, old.sourceUidValidity());
                    ins.setLong(7, old.sourceUid());
                    ins.addBatch();
                    del.setString(1, mailbox);
                    del.setString(2, sourceFolder);
                    del.setLong(3, old.sourceUidValidity());
                    del.setLong(4, old.sourceUid());
                    del.addBatch();
                }
                ins.executeBatch();
                del.executeBatch();
            }
        });
    }

    public void updateSyncedFlags(
            String mailbox, String sourceFolder, long sourceUidValidity, Map<Long, Set<String>> flagsByUid) {
        if (flagsByUid.isEmpty()) {
            return;
        }
        writeFor(mailbox, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_message SET flags = ?, updated_at = ?"
                    + " WHERE mailbox = ? AND source_folder = ? AND source_uidvalidity = ? AND source_uid = ?")) {
                for (Map.Entry<Long, Set<String>> e : flagsByUid.entrySet()) {
                    ps.setString(1, String.join(" ", new TreeSet<>(e.getValue())));
                    ps.setLong(2, now());
                    ps.setString(3, mailbox);
                    ps.setString(4, sourceFolder);
                    ps.setLong(5, sourceUidValidity);
                    ps.setLong(6, e.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** Content hashes recorded at copy time, by source UID, for the current UIDVALIDITY. */
    public Map<Long, String> contentHashes(String mailbox, String sourceFolder, long sourceUidValidity) {
        Map<Long, String> out = new LinkedHashMap<>();
        query(
                "SELECT source_uid, content_sha256 FROM sync_message WHERE mailbox = ? AND source_folder = ?"
                        + " AND source_uidvalidity = ? AND state = 'DONE'",
                ps -> {
                    ps.setString(1, mailbox);
                    ps.setString(2, sourceFolder);
                    ps.setLong(3, sourceUidValidity);
                },
                rs -> out.put(rs.getLong(1), rs.getString(2)));
        return out;
    }

    /** Per source folder: the journal's counts and the folder plan's line (a planned folder without messages too). */
    public List<FolderProgress> progress(String mailbox) {
        Map<String, PlannedFolder> plan = new java.util.TreeMap<>();
        plannedFolders(mailbox).forEach(p -> plan.put(p.sourceFolder(), p));
        List<FolderProgress> out = new ArrayList<>();
        for (FolderProgress f : journalProgress(mailbox)) {
            PlannedFolder p = plan.remove(f.sourceFolder());
            out.add(
                    p == null
                            ? f
                            : new FolderProgress(
                                    f.sourceFolder(),
                                    p.targetFolder(),
                                    f.done(),
                                    f.doneBytes(),
                                    f.intents(),
                                    p.move().kind().name(),
                                    p.move().reason()));
        }
        plan.values()
                .forEach(p -> out.add(new FolderProgress(
                        p.sourceFolder(),
                        p.targetFolder(),
                        0,
                        0,
                        0,
                        p.move().kind().name(),
                        p.move().reason())));
        out.sort(java.util.Comparator.comparing(FolderProgress::sourceFolder));
        return out;
    }

    private List<FolderProgress> journalProgress(String mailbox) {
        return query(
                "SELECT source_folder, MAX(target_folder),"
                        + " SUM(CASE WHEN state = 'DONE' THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN state = 'DONE' THEN size ELSE 0 END),"
                        + " SUM(CASE WHEN state = 'INTENT' THEN 1 ELSE 0 END)"
                        + " FROM sync_message WHERE mailbox = ? GROUP BY source_folder ORDER BY source_folder",
                ps -> ps.setString(1, mailbox),
                rs -> new FolderProgress(
                        rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }

    // ---- inventory ---------------------------------------------------------------------

    /**
     * A pass listed the mailbox: {@code messagesByFolder} holds STATUS MESSAGES of the folders it looked at,
     * {@code listed} every folder name the LIST returned. Folders no longer listed are forgotten; a folder whose
     * count changed loses its bytes until its metadata is fetched again.
     */
    public void recordListed(String mailbox, Map<String, Long> messagesByFolder, Set<String> listed) {
        write(c -> {
            List<String> gone = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT source_folder FROM sync_inventory WHERE mailbox = ?")) {
                ps.setString(1, mailbox);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!listed.contains(rs.getString(1))) {
                            gone.add(rs.getString(1));
                        }
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM sync_inventory WHERE mailbox = ? AND source_folder = ?")) {
                for (String folder : gone) {
                    ps.setString(1, mailbox);
                    ps.setString(2, folder);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO sync_inventory (mailbox, source_folder, messages,"
                            + " bytes, listed_at) VALUES (?,?,?,NULL,?) ON CONFLICT (mailbox, source_folder) DO UPDATE SET"
                            + " bytes = CASE WHEN sync_inventory.messages = excluded.messages THEN sync_inventory.bytes END,"
                            + " messages = excluded.messages, listed_at = excluded.listed_at")) {
                for (Map.Entry<String, Long> e : messagesByFolder.entrySet()) {
                    ps.setString(1, mailbox);
                    ps.setString(2, e.getKey());
                    ps.setLong(3, e.getValue());
                    ps.setLong(4, now());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** A pass fetched the metadata of a whole source folder: its message count and total bytes. */
    public void recordFetched(String mailbox, String sourceFolder, long messages, long bytes) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sync_inventory (mailbox, source_folder, messages,"
                            + " bytes, listed_at) VALUES (?,?,?,?,?) ON CONFLICT (mailbox, source_folder) DO UPDATE SET"
                            + " messages = excluded.messages, bytes = excluded.bytes, listed_at = excluded.listed_at")) {
                ps.setString(1, mailbox);
                ps.setString(2, sourceFolder);
                ps.setLong(3, messages);
                ps.setLong(4, bytes);
                ps.setLong(5, now());
                ps.executeUpdate();
            }
        });
    }

    /** The mailbox's source inventory, one row per listed folder; empty when no pass ever listed it. */
    public List<FolderInventory> inventory(String mailbox) {
        return query(
                "SELECT source_folder, messages, bytes, listed_at FROM sync_inventory WHERE mailbox = ?"
                        + " ORDER BY source_folder",
                ps -> ps.setString(1, mailbox),
                rs -> {
                    long bytes = rs.getLong(3);
                    boolean unknown = rs.wasNull();
                    return new FolderInventory(
                            rs.getString(1),
                            rs.getLong(2),
                            unknown ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(bytes),
                            Instant.ofEpochMilli(rs.getLong(4)));
                });
    }

    /** Messages and bytes the journal has DONE, all mailboxes: the copy's odometer, sampled for the rate. */
    public long[] copiedTotals() {
        return query("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM sync_message WHERE state = 'DONE'", ps -> {}, rs ->
                        new long[] {rs.getLong(1), rs.getLong(2)})
                .get(0);
    }

    // ---- failures ----------------------------------------------------------------------

    public void recordFailure(Failure f) {
        writeFor(f.mailbox(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_failure (mailbox, source_folder,"
                    + " source_uidvalidity, source_uid, scope, reason, attempts, first_failed_at, last_failed_at,"
                    + " next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
                    + " ON CONFLICT (mailbox, source_folder, source_uidvalidity, source_uid) DO UPDATE SET"
                    + " scope = excluded.scope, reason = excluded.reason, attempts = excluded.attempts,"
                    + " last_failed_at = excluded.last_failed_at, next_attempt_at = excluded.next_attempt_at")) {
                ps.setString(1, f.mailbox());
                ps.setString(2, f.sourceFolder());
                ps.setLong(3, f.sourceUidValidity());
                ps.setLong(4, f.sourceUid());
                ps.setString(5, f.scope());
                ps.setString(6, truncate(f.reason(), 2000));
                ps.setInt(7, f.attempts());
                ps.setLong(8, f.firstFailedAt().toEpochMilli());
                ps.setLong(9, f.lastFailedAt().toEpochMilli());
                ps.setLong(10, f.nextAttemptAt().toEpochMilli());
                ps.executeUpdate();
            }
        });
    }

    public void clearFailures(String mailbox, String sourceFolder, long sourceUidValidity, List<Long> uids) {
        if (uids.isEmpty()) {
            return;
        }
        write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM sync_failure WHERE mailbox = ? AND source_folder = ?"
                            + " AND source_uidvalidity = ? AND source_uid = ?")) {
                for (long uid : uids) {
                    ps.setString(1, mailbox);
                    ps.setString(2, sourceFolder);
                    ps.setLong(3, sourceUidValidity);
                    ps.setLong(4, uid);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /**
     * Forgets every failure of the mailbox, backoff and attempt counts included: the admin fixed the cause
     * (raised a quota, repaired a folder) and the next pass tries everything again at once.
     */
    public void clearAllFailures(String mailbox) {
        update("DELETE FROM sync_failure WHERE mailbox = ?", mailbox);
    }

    /** Forgets the mailbox-level failure (login, connection) after a pass that got through. */
    public void clearMailboxFailures(String mailbox) {
        update("DELETE FROM sync_failure WHERE mailbox = ? AND scope = 'MAILBOX'", mailbox);
    }

    /** Forgets folder-level failures (folder refused, folder unreadable) of folders that completed. */
    public void clearFolderFailures(String mailbox, List<String> sourceFolders) {
        if (sourceFolders.isEmpty()) {
            return;
        }
        write(c -> deleteFolderFailures(c, mailbox, sourceFolders));
    }

    private static void deleteFolderFailures(Connection c, String mailbox, List<String> sourceFolders)
            throws SQLException {
        if (sourceFolders.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM sync_failure WHERE mailbox = ? AND source_folder = ? AND scope = 'FOLDER'")) {
            for (String folder : sourceFolders) {
                ps.setString(1, mailbox);
                ps.setString(2, folder);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<Failure> failures(String mailbox) {
        return query(
                "SELECT mailbox, source_folder, source_uidvalidity, source_uid, scope, reason, attempts,"
                        + " first_failed_at, last_failed_at, next_attempt_at FROM sync_failure WHERE mailbox = ?"
                        + " ORDER BY source_folder, source_uid",
                ps -> ps.setString(1, mailbox),
                rs -> new Failure(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getInt(7),
                        Instant.ofEpochMilli(rs.getLong(8)),
                        Instant.ofEpochMilli(rs.getLong(9)),
                        Instant.ofEpochMilli(rs.getLong(10))));
    }

    // ---- plumbing ----------------------------------------------------------------------

    private static Set<String> flags(String s) {
        return s == null || s.isBlank()
                ? Set.of()
                : new TreeSet<>(Arrays.asList(s.trim().split(" +")));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private long now() {
        return clock.millis();
    }

    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private void updateFor(String mailbox, String sql, Object... args) {
        writeFor(mailbox, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
            }
        });
    }

    private void update(String sql, Object... args) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
            }
        });
    }

    /** A write of {@code mailbox}'s rows: the fence checks the lease first, in the same transaction. */
    private void writeFor(String mailbox, SqlWork work) {
        write(c -> {
            fence.verify(c, mailbox);
            work.run(c);
        });
    }

    private void write(SqlWork work) {
        writeLock.lock();
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Transactions.rollbackAfter(c, e);
                throw e;
            } finally {
                Transactions.restoreAutoCommit(c, auto);
            }
        } catch (SQLException e) {
            throw new StateStoreException("sync state store write failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StateStoreException("sync state store read failed: " + e.getMessage(), e);
        }
    }
}
