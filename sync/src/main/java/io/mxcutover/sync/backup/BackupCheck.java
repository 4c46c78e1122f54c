package io.mxcutover.sync.backup;

import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.FolderMapping;
import io.mxcutover.sync.folder.FolderPair;
import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ContentHash;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.plan.Identity;
import io.mxcutover.sync.plan.MessageMeta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks the new server against a mailbox's backup: each backed-up message is looked up in the
 * target folder the sync maps its folder to, by identity (Message-ID, size, INTERNALDATE, header
 * digest: the file's bytes and mtime give all four), one target message per backup file; then the
 * found copies' bytes are hashed and compared with the files'. Reads the new server only
 * (EXAMINE, BODY.PEEK).
 */
public final class BackupCheck {
    /** Header section read from a backup file to compute its identity (larger headers are cut, like a FETCH would not). */
    private static final int MAX_HEADER = 1 << 20;

    private BackupCheck() {}

    private record BackedUp(String file, Identity identity, String sha256) {}

    public static BackupReport check(String address, Path mailboxRoot, SourceStore target, FolderRules rules)
            throws IOException, ImapException {
        return check(address, mailboxRoot, target, rules, Map.of());
    }

    /**
     * {@code pinned}: the sync's folder plan (source folder to target folder), which wins over the rules,
     * so the check looks where the sync copied to, not where a fresh mapping would go today.
     */
    public static BackupReport check(
            String address, Path mailboxRoot, SourceStore target, FolderRules rules, Map<String, String> pinned)
            throws IOException, ImapException {
        BackupIndex index = BackupIndex.read(mailboxRoot);
        Namespace targetNs = target.namespace();
        List<FolderInfo> targetFolders = target.folders();
        Set<String> existing = targetFolders.stream().map(FolderInfo::name).collect(Collectors.toSet());
        Map<String, FolderPair> pairs = new HashMap<>();
        FolderMapping.map(
                        index.folders().stream().map(BackupIndex.Entry::folder).toList(),
                        index.namespace(),
                        targetFolders,
                        targetNs,
                        rules,
                        pinned)
                .forEach(p -> pairs.put(p.source(), p));
        long total = 0;
        long found = 0;
        List<BackupReport.Entry> missing = new ArrayList<>();
        List<BackupReport.Entry> different = new ArrayList<>();
        for (BackupIndex.Entry entry : index.folders()) {
            Path dir = entry.dir().isEmpty() ? mailboxRoot : mailboxRoot.resolve(entry.dir());
            List<BackedUp> files = read(dir);
            total += files.size();
            String folder = entry.folder().name();
            FolderPair pair = pairs.get(folder);
            if (pair == null || !existing.contains(pair.target())) {
                String why = pair == null
                        ? "folder excluded by the folder rules"
                        : "folder '" + pair.target() + "' does not exist on the new server";
                files.forEach(f -> missing.add(entry(folder, f, why)));
                continue;
            }
            FolderSnapshot snapshot = target.snapshot(pair.target());
            Map<String, Deque<MessageMeta>> byIdentity = new HashMap<>();
            snapshot.messages()
                    .forEach(m -> byIdentity
                            .computeIfAbsent(m.identity().key(), k -> new ArrayDeque<>())
                            .add(m));
            Map<Long, BackedUp> matched = new HashMap<>();
            for (BackedUp f : files) {
                Deque<MessageMeta> candidates = byIdentity.get(f.identity().key());
                if (candidates == null || candidates.isEmpty()) {
                    missing.add(entry(folder, f, "not in '" + pair.target() + "' on the new server"));
                } else {
                    matched.put(candidates.poll().uid(), f);
                }
            }
            List<MessageMeta> toHash = snapshot.messages().stream()
                    .filter(m -> matched.containsKey(m.uid()))
                    .toList();
            Map<Long, String> hashes = target.contentHashes(toHash);
            for (Map.Entry<Long, BackedUp> e : matched.entrySet()) {
                String h = hashes.get(e.getKey());
                if (h == null) {
                    missing.add(entry(folder, e.getValue(), "vanished from '" + pair.target() + "' during the check"));
                } else if (!h.equals(e.getValue().sha256())) {
                    different.add(entry(
                            folder,
                            e.getValue(),
                            "bytes differ on the new server (UID " + e.getKey() + " in '" + pair.target()
                                    + "'): canonicalised by the server or changed"));
                    found++;
                } else {
                    found++;
                }
            }
        }
        // A backup without its completion marker stopped half-way: what it holds was checked, the rest is unknown.
        return new BackupReport(
                address,
                total,
                found,
                missing,
                different,
                java.nio.file.Files.exists(mailboxRoot.resolve(MaildirBackup.COMPLETE)));
    }

    private static BackupReport.Entry entry(String folder, BackedUp f, String why) {
        return new BackupReport.Entry(
                folder, f.file(), f.identity().messageId(), f.identity().size(), why);
    }

    /** Every message file of a Maildir folder (cur/ and new/) with its identity and SHA-256. */
    private static List<BackedUp> read(Path dir) throws IOException {
        List<BackedUp> out = new ArrayList<>();
        for (String sub : new String[] {"cur", "new"}) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(d)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path p : files) {
                out.add(readFile(p));
            }
        }
        return out;
    }

    private static BackedUp readFile(Path file) throws IOException {
        MessageDigest digest = ContentHash.digest();
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        long size = 0;
        boolean inHeader = true;
        int last1 = -1;
        int last2 = -1;
        int last3 = -1;
        byte[] buf = new byte[65536];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                digest.update(buf, 0, n);
                size += n;
                for (int i = 0; inHeader && i < n; i++) {
                    int c = buf[i] & 0xff;
                    header.write(c);
                    // The header ends at the first empty line (CRLF CRLF, or LF LF in a non-canonical file).
                    if ((c == '\n' && last1 == '\n')
                            || (c == '\n' && last1 == '\r' && last2 == '\n' && last3 == '\r')
                            || header.size() >= MAX_HEADER) {
                        inHeader = false;
                    }
                    last3 = last2;
                    last2 = last1;
                    last1 = c;
                }
            }
        }
        long date = Files.getLastModifiedTime(file).toInstant().getEpochSecond();
        return new BackedUp(
                file.getFileName().toString(), Identity.of(header.toByteArray(), size, date), ContentHash.hex(digest));
    }
}
