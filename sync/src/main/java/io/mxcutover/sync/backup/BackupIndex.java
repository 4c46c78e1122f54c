package io.mxcutover.sync.backup;

import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.Namespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * {@code mxcutover-backup.tsv} at the root of a mailbox's backup: the source namespace and, per
 * backed-up folder, its Maildir++ directory, UIDVALIDITY and the folder as the legacy LIST named it
 * (separator, attributes, name), so a check can map folders to the new server exactly as the sync does.
 */
public record BackupIndex(Namespace namespace, List<Entry> folders) {
    public static final String FILE = "mxcutover-backup.tsv";

    public record Entry(String dir, long uidValidity, FolderInfo folder) {
        public Entry {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(folder, "folder");
        }
    }

    public BackupIndex {
        Objects.requireNonNull(namespace, "namespace");
        folders = List.copyOf(folders);
    }

    public void write(Path mailboxRoot) throws IOException {
        StringBuilder sb = new StringBuilder("# mxcutover backup index: namespace <prefix> <separator>;"
                + " folder <maildir dir> <uidvalidity> <separator> <attributes> <name>\n");
        sb.append("namespace\t")
                .append(namespace.prefix())
                .append('\t')
                .append(namespace.separator())
                .append('\n');
        for (Entry e : folders) {
            sb.append("folder\t")
                    .append(e.dir())
                    .append('\t')
                    .append(e.uidValidity())
                    .append('\t')
                    .append(e.folder().separator())
                    .append('\t')
                    .append(String.join(" ", e.folder().attributes()))
                    .append('\t')
                    .append(e.folder().name())
                    .append('\n');
        }
        Path tmp = mailboxRoot.resolve(FILE + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(
                tmp,
                mailboxRoot.resolve(FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static BackupIndex read(Path mailboxRoot) throws IOException {
        Path file = mailboxRoot.resolve(FILE);
        if (!Files.exists(file)) {
            throw new IOException(
                    "no backup index " + file + ": not a mxcutover backup of a mailbox (or it never started)");
        }
        Namespace ns = new Namespace("", '/');
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("namespace") && f.length >= 3) {
                ns = new Namespace(f[1], f[2].isEmpty() ? '/' : f[2].charAt(0));
            } else if (f[0].equals("folder") && f.length >= 6) {
                entries.add(new Entry(
                        f[1],
                        Long.parseLong(f[2]),
                        new FolderInfo(
                                f[5],
                                f[3].isEmpty() ? '/' : f[3].charAt(0),
                                f[4].isBlank() ? new HashSet<>() : new HashSet<>(Arrays.asList(f[4].split(" "))),
                                true)));
            }
        }
        return new BackupIndex(ns, entries);
    }
}
