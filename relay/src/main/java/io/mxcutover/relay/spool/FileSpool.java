package io.mxcutover.relay.spool;

import io.mxcutover.relay.smtp.Envelope;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool on disk. Thread-safe: each operation touches one message's files; the caller (the
 * delivery scheduler) makes sure one message is handled by one thread at a time.
 */
public final class FileSpool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileSpool.class);
    static final String TMP_SUFFIX = ".tmp";
    /** Beside each file in corrupt/: why it is there and whether its sender was told 250. */
    public static final String WHY_SUFFIX = ".why";
    /** Empty message files kept for reuse (see {@link #remove}); beyond this many, files are unlinked. */
    static final int RECYCLE_LIMIT = 1024;

    private final Path root;
    private final Clock clock;
    private final SpoolFaults faults;
    private final long minFreeBytes;
    private final Map<SpoolState, Path> dirs = new EnumMap<>(SpoolState.class);
    private final Path statusDir;
    private final FileStore store;
    private final GroupCommit groupCommit;
    private final Path recycleDir;
    private final ConcurrentLinkedQueue<Path> recycled = new ConcurrentLinkedQueue<>();
    private final AtomicInteger recycledCount = new AtomicInteger();
    private final AtomicLong recycleNames = new AtomicLong();

    private FileSpool(Path root, Clock clock, SpoolFaults faults, long minFreeBytes) throws IOException {
        this.root = root;
        this.clock = clock;
        this.faults = faults;
        this.minFreeBytes = minFreeBytes;
        for (SpoolState s : SpoolState.values()) {
            Path d = root.resolve(s.directory());
            Files.createDirectories(d);
            dirs.put(s, d);
        }
        this.statusDir = Files.createDirectories(root.resolve("status"));
        this.store = Files.getFileStore(root);
        this.groupCommit = new GroupCommit(faults);
        this.recycleDir = Files.createDirectories(root.resolve("recycle"));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(recycleDir)) {
            for (Path p : ds) {
                recycled.add(p);
                recycledCount.incrementAndGet();
            }
        }
        recycleNames.set(clock.millis() * 1000);
    }

    /**
     * Opens (creating if needed) the spool at {@code root}. Call {@link SpoolRecovery#recover}
     * before delivering anything.
     *
     * @param minFreeBytes refuse new messages (452) when less than this is free on the file system
     */
    public static FileSpool open(Path root, Clock clock, SpoolFaults faults, long minFreeBytes) throws IOException {
        Files.createDirectories(root);
        FileSpool spool = new FileSpool(root, clock, faults, minFreeBytes);
        for (Path d : spool.dirs.values()) {
            GroupCommit.fsyncDirectory(d);
        }
        GroupCommit.fsyncDirectory(root);
        return spool;
    }

    public Path root() {
        return root;
    }

    SpoolFaults faults() {
        return faults;
    }

    GroupCommit groupCommit() {
        return groupCommit;
    }

    public long directorySyncRounds() {
        return groupCommit.roundCount();
    }

    public long directorySyncRequests() {
        return groupCommit.requestCount();
    }

    public Path directory(SpoolState state) {
        return dirs.get(state);
    }

    public Path path(SpoolId id, SpoolState state) {
        return dirs.get(state).resolve(id.value());
    }

    Path statusDirectory() {
        return statusDir;
    }

    /** Starts receiving a message into {@code incoming/<id>.tmp}. */
    public SpoolWriter begin(SpoolId id, String client, String helo, SpoolEntry.Origin origin, Envelope envelope)
            throws SpoolException {
        checkFreeSpace(id);
        Path dir = dirs.get(SpoolState.INCOMING);
        Path tmp = dir.resolve(id.value() + TMP_SUFFIX);
        Instant arrival = clock.instant();
        FileChannel ch = null;
        try {
            faults.before(SpoolFaults.Step.CREATE, id);
            ch = reuse(tmp);
            if (ch == null) {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            byte[] header = SpoolFormat.header(id, arrival, client, helo, origin, envelope);
            return new SpoolWriter(
                    this, id, tmp, dir.resolve(id.value()), ch, header, arrival, client, helo, origin, envelope);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // left for recovery
                }
            }
            throw translate("create", id, e);
        }
    }

    private void checkFreeSpace(SpoolId id) throws SpoolFullException {
        if (minFreeBytes <= 0) {
            return;
        }
        long free;
        try {
            free = store.getUsableSpace();
        } catch (IOException e) {
            LOG.warn("cannot read free space of spool {}: {}", root, e.toString());
            return;
        }
        if (free < minFreeBytes) {
            throw new SpoolFullException("spool file system " + root + " has " + free + " bytes free, below the "
                    + minFreeBytes + " reserve; refusing queue id " + id + " until space is freed");
        }
    }

    SpoolException translate(String step, SpoolId id, IOException e) {
        if (e instanceof SpoolException se) {
            return se;
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("No space left") || msg.contains("Disk quota exceeded")) {
            return new SpoolFullException("spool " + root + " is full (" + step + " of queue id " + id + ")", e);
        }
        return new SpoolException("spool " + step + " failed for queue id " + id + ": " + e, e);
    }

    /** Reads header and trailer of a message file. */
    public SpoolEntry read(SpoolId id, SpoolState state) throws IOException {
        Path p = path(id, state);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            return SpoolFormat.read(ch, p.toString());
        }
    }

    /**
     * The message bytes, exactly as received plus our Received header. The stream verifies the
     * CRC-32C at its end and throws {@link SpoolException} on a mismatch, so a damaged file is
     * never delivered completely.
     */
    public InputStream openMessage(SpoolEntry entry, SpoolState state) throws IOException {
        Path p = path(entry.id(), state);
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
        ch.position(entry.messageOffset());
        InputStream raw = Channels.newInputStream(ch);
        return new CheckedMessageStream(raw, entry, p);
    }

    /** Renames the message file to another state directory; durable = also fsync the target directory. */
    public void move(SpoolId id, SpoolState from, SpoolState to, boolean durable) throws IOException {
        if (from == to) {
            return;
        }
        faults.before(SpoolFaults.Step.RENAME, id);
        Files.move(path(id, from), path(id, to), StandardCopyOption.ATOMIC_MOVE);
        if (durable) {
            groupCommit.syncDirectory(dirs.get(to), id);
        }
    }

    /** Writes {@code status/<id>} durably: .new, force, rename, directory fsync. */
    public void writeStatus(SpoolId id, DeliveryStatus status) throws IOException {
        Path tmp = statusDir.resolve(id.value() + ".new");
        faults.before(SpoolFaults.Step.STATUS_WRITE, id);
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(status.toBytes()));
            ch.force(true);
        }
        Files.move(
                tmp,
                statusDir.resolve(id.value()),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        groupCommit.syncDirectory(statusDir, id);
    }

    public Optional<DeliveryStatus> readStatus(SpoolId id) throws IOException {
        Path p = statusDir.resolve(id.value());
        try {
            return Optional.of(DeliveryStatus.parse(Files.readAllBytes(p), p.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes a finished message: message file first, then its status file, so recovery never
     * sees a message without its progress. The unlink is not fsynced (Postfix does not either):
     * a killed process cannot bring the file back; only an operating-system crash within the
     * journal commit interval can, and then the message is delivered once more, never lost.
     */
    public void remove(SpoolId id, SpoolState state) throws IOException {
        remove(id, state, true);
    }

    /** As {@link #remove(SpoolId, SpoolState)}; {@code hasStatus} false skips the status file (never written). */
    public void remove(SpoolId id, SpoolState state, boolean hasStatus) throws IOException {
        faults.before(SpoolFaults.Step.DELETE, id);
        if (!recycle(path(id, state))) {
            Files.deleteIfExists(path(id, state));
        }
        if (hasStatus) {
            Files.deleteIfExists(statusDir.resolve(id.value()));
        }
    }

    /**
     * Keeps a finished message file for reuse instead of unlinking it: renamed out of its state
     * directory into {@code recycle/} (the same atomic step an unlink would be, for recovery),
     * then emptied. Creating a file costs an inode allocation, and on ext4 without a journal that
     * scans past every inode freed in the last half minute, which profiled as a sixth of the
     * relay's CPU at a thousand messages a second; a reused file keeps its inode. Returns false
     * when the pool is full or the file cannot be moved (the caller unlinks it then).
     */
    private boolean recycle(Path file) {
        if (recycledCount.incrementAndGet() > RECYCLE_LIMIT) {
            recycledCount.decrementAndGet();
            return false;
        }
        Path target = recycleDir.resolve(Long.toString(recycleNames.incrementAndGet(), 36));
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            recycledCount.decrementAndGet();
            return false;
        }
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.truncate(0); // no delivered mail lingers in the pool
        } catch (IOException e) {
            LOG.debug("emptying recycled spool file {}: {}", target, e.toString());
        }
        recycled.add(target);
        return true;
    }

    /** A recycled file renamed to {@code tmp} and opened for writing, or null when the pool is empty. */
    private FileChannel reuse(Path tmp) {
        for (Path r = recycled.poll(); r != null; r = recycled.poll()) {
            recycledCount.decrementAndGet();
            try {
                Files.move(r, tmp, StandardCopyOption.ATOMIC_MOVE);
                return FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                LOG.debug("recycled spool file {} unusable: {}", r, e.toString());
            }
        }
        return null;
    }

    /**
     * Moves a damaged message to corrupt/ (never deletes it) and logs why. Its status file, if
     * any, goes along as {@code corrupt/<id>.status}: it says which recipients already have the
     * message, should an admin repair the file and put both back.
     *
     * @return where the message file is now, empty when it could not be moved
     */
    public Optional<Path> setAside(SpoolId id, SpoolState state, String reason) {
        Optional<Path> moved = setAside(path(id, state), new SetAside(SetAside.Kind.DAMAGED, reason));
        Path status = statusDir.resolve(id.value());
        if (moved.isPresent() && Files.exists(status)) {
            try {
                Files.move(
                        status,
                        moved.get().resolveSibling(moved.get().getFileName() + ".status"),
                        StandardCopyOption.ATOMIC_MOVE);
                GroupCommit.fsyncDirectory(moved.get().getParent());
            } catch (IOException e) {
                LOG.warn("status file of queue id {} stays in {}: {}", id, statusDir, e.toString());
            }
        }
        return moved;
    }

    /**
     * Moves {@code file} into corrupt/, writes {@code corrupt/<name>.why} (what happened, whether
     * the sender was told 250, what to do) and logs it once: ERROR when the admin must act, WARN
     * when not. Files already in corrupt/ are never looked at again, so nothing is repeated at the
     * next start.
     */
    Optional<Path> setAside(Path file, SetAside why) {
        Path target = dirs.get(SpoolState.CORRUPT).resolve(file.getFileName().toString());
        try {
            if (Files.exists(target)) {
                target = dirs.get(SpoolState.CORRUPT).resolve(file.getFileName() + "." + clock.millis());
            }
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            GroupCommit.fsyncDirectory(target.getParent());
            writeWhy(target, why);
            if (why.needsAction()) {
                LOG.error("spool file {} moved to {}: {}; {}", file, target, why.detail(), why.advice());
            } else {
                LOG.warn("spool file {} moved to {}: {}; {}", file, target, why.detail(), why.advice());
            }
            return Optional.of(target);
        } catch (FileAlreadyExistsException e) {
            LOG.error("spool file {} could not be set aside ({} exists): {}", file, target, why.detail());
        } catch (IOException e) {
            LOG.error(
                    "spool file {} is damaged ({}) and could not be moved to corrupt/: {}",
                    file,
                    why.detail(),
                    e.toString());
        }
        return Optional.empty();
    }

    /** Best effort: the move already happened and was logged with the same text. */
    private void writeWhy(Path target, SetAside why) {
        Path file = target.resolveSibling(target.getFileName() + WHY_SUFFIX);
        try {
            Files.writeString(
                    file,
                    why.whyFile(target.getFileName().toString(), clock.instant()),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("could not write {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        groupCommit.close();
    }

    /** Bounded view of the message bytes that checks the trailer's CRC at the end. */
    private static final class CheckedMessageStream extends FilterInputStream {
        private final SpoolEntry entry;
        private final Path path;
        private final CRC32C crc = new CRC32C();
        private long remaining;
        private boolean verified;

        CheckedMessageStream(InputStream in, SpoolEntry entry, Path path) {
            super(in);
            this.entry = entry;
            this.path = path;
            this.remaining = entry.messageLength();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                verify();
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new SpoolCorruptException(
                        "spool file " + path + " ended early: queue id " + entry.id() + " is damaged");
            }
            crc.update(b, off, n);
            remaining -= n;
            if (remaining == 0) {
                verify();
            }
            return n;
        }

        private void verify() throws SpoolCorruptException {
            if (!verified) {
                verified = true;
                if ((int) crc.getValue() != entry.crc32c()) {
                    throw new SpoolCorruptException("spool file " + path + " fails its checksum: queue id " + entry.id()
                            + " is damaged and is not delivered");
                }
            }
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported on a checked spool stream");
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
