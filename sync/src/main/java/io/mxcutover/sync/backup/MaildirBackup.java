package io.mxcutover.sync.backup;

import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.FolderMapping;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.RawMessage;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.plan.MessageMeta;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Exports one legacy mailbox to {@code <root>} as a Maildir++ tree (see the package documentation).
 * Reads the source like the copy does (EXAMINE, BODY.PEEK): the legacy server is not changed.
 * Resumable: messages already in {@code cur/} (same UIDVALIDITY and UID) are not fetched again.
 */
public final class MaildirBackup {
    public static final String COMPLETE = "mxcutover-backup.complete";
    public static final String KEYWORDS = "dovecot-keywords";

    public record Outcome(long messages, long bytes, long alreadyThere) {}

    private final Path root;
    private final Clock clock;

    /** {@code clock}: the time written into the completion marker. */
    public MaildirBackup(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    public boolean complete() {
        return Files.exists(root.resolve(COMPLETE));
    }

    /** Backs up these source folders (selectable ones), then marks the backup complete. */
    public Outcome backUp(SourceStore source, Namespace namespace, List<FolderInfo> folders)
            throws ImapException, IOException {
        Files.createDirectories(root);
        List<BackupIndex.Entry> entries = new ArrayList<>();
        long[] written = {0, 0};
        long already = 0;
        for (FolderInfo folder : folders) {
            if (!folder.selectable()) {
                continue;
            }
            String dirName = MaildirNames.folderDir(FolderMapping.canonicalLevels(folder.name(), namespace));
            Path dir = dirName.isEmpty() ? root : root.resolve(dirName);
            for (String sub : new String[] {"cur", "new", "tmp"}) {
                Files.createDirectories(dir.resolve(sub));
            }
            FolderSnapshot snapshot = source.snapshot(folder.name());
            Set<Long> present = present(dir, snapshot.uidValidity());
            List<MessageMeta> todo = snapshot.messages().stream()
                    .filter(m -> !present.contains(m.uid()))
                    .toList();
            already += snapshot.messages().size() - todo.size();
            List<String> keywords = readKeywords(dir);
            List<String> added = new ArrayList<>();
            for (MessageMeta m : todo) {
                List<String> known = new ArrayList<>(keywords);
                known.addAll(added);
                added.addAll(MaildirNames.newKeywords(known, m.flags()));
            }
            if (!added.isEmpty()) {
                keywords = new ArrayList<>(keywords);
                keywords.addAll(added);
                writeKeywords(dir, keywords);
            }
            List<String> names = List.copyOf(keywords);
            try {
                source.fetchBodies(todo, raw -> {
                    try (raw) {
                        write(dir, snapshot.uidValidity(), raw, names);
                        written[0]++;
                        written[1] += raw.size();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            entries.add(new BackupIndex.Entry(dirName, snapshot.uidValidity(), folder));
        }
        new BackupIndex(namespace, entries).write(root);
        Path marker = root.resolve(COMPLETE + ".tmp");
        Files.writeString(
                marker,
                "complete " + clock.instant() + ": " + (written[0] + already) + " message(s) in " + entries.size()
                        + " folder(s)\n",
                StandardCharsets.UTF_8);
        Files.move(marker, root.resolve(COMPLETE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Outcome(written[0], written[1], already);
    }

    /** tmp/ first (forced to disk, mtime = INTERNALDATE), then renamed into cur/: a file in cur/ is whole. */
    private static void write(Path dir, long uidValidity, RawMessage raw, List<String> keywords) throws IOException {
        MessageMeta m = raw.meta();
        Instant date = Instant.ofEpochSecond(m.identity().internalDate());
        String base = MaildirNames.baseName(uidValidity, m.uid(), raw.size(), date);
        Path tmp = dir.resolve("tmp").resolve(base);
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(ch);
            raw.writeTo(out);
            out.flush();
            ch.force(true);
        }
        Files.setLastModifiedTime(tmp, FileTime.from(date));
        Files.move(
                tmp,
                dir.resolve("cur")
                        .resolve(MaildirNames.messageFile(uidValidity, m.uid(), raw.size(), date, m.flags(), keywords)),
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static Set<Long> present(Path dir, long uidValidity) throws IOException {
        Set<Long> uids = new HashSet<>();
        try (Stream<Path> files = Files.list(dir.resolve("cur"))) {
            files.forEach(p -> MaildirNames.parse(p.getFileName().toString(), List.of())
                    .filter(x -> x.uidValidity() == uidValidity)
                    .ifPresent(x -> uids.add(x.uid())));
        }
        return uids;
    }

    static List<String> readKeywords(Path dir) throws IOException {
        Path file = dir.resolve(KEYWORDS);
        List<String> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            if (space > 0) {
                int index = Integer.parseInt(line.substring(0, space));
                while (out.size() <= index) {
                    out.add("");
                }
                out.set(index, line.substring(space + 1));
            }
        }
        return out;
    }

    private static void writeKeywords(Path dir, List<String> keywords) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keywords.size(); i++) {
            sb.append(i).append(' ').append(keywords.get(i)).append('\n');
        }
        Path tmp = dir.resolve(KEYWORDS + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(KEYWORDS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
