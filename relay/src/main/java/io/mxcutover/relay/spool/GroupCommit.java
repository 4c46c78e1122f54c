package io.mxcutover.relay.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares directory fsyncs between concurrent writers (leader/follower group commit). A caller
 * renames its file, then calls {@link #syncDirectory} (or takes a {@link #ticket} at once and
 * {@link #await}s it later): it returns once an fsync of the directory that <em>started after
 * the call (the ticket)</em> has completed. The first caller to find no fsync running
 * does it itself for everyone who arrived so far (no thread hand-off, so a single sender pays one
 * fsync and nothing more); callers arriving meanwhile wait and are covered by the next round,
 * done by one of them. With N concurrent sessions the directory is synced about once per round
 * instead of N times.
 */
public final class GroupCommit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    private static final long WAIT_SECONDS = 120;

    /** Commit state of one directory. */
    private static final class Directory {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        long requested; // last ticket handed out
        long synced; // every ticket <= synced is durable
        long failedFrom = 1; // tickets in [failedFrom, failedTo] were in a failed round
        long failedTo;
        IOException failure;
        boolean syncing;
        FileChannel channel; // kept open: one fsync(2) per round instead of open+fsync+close
    }

    private final SpoolFaults faults;
    private final Map<Path, Directory> directories = new ConcurrentHashMap<>();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean closed;

    public GroupCommit(SpoolFaults faults) {
        this.faults = faults;
    }

    /** Blocks until {@code directory} has been fsynced after this call (covers earlier renames). */
    public void syncDirectory(Path directory, SpoolId id) throws IOException {
        await(directory, ticket(directory), id);
    }

    /**
     * Registers a change just made in {@code directory} (a rename): a directory fsync that starts
     * from now on covers it. Take the ticket right after the rename and {@link #await} it after
     * forcing the file: a round led by another writer meanwhile overlaps with this file's force,
     * so at high concurrency the directory is often already synced when the force returns.
     */
    public long ticket(Path directory) {
        requests.incrementAndGet();
        Directory d = directories.computeIfAbsent(directory, p -> new Directory());
        d.lock.lock();
        try {
            return ++d.requested;
        } finally {
            d.lock.unlock();
        }
    }

    /** Blocks until a directory fsync that started after {@code ticket} was taken has completed. */
    public void await(Path directory, long ticket, SpoolId id) throws IOException {
        if (closed) {
            throw new SpoolException("spool is shutting down; queue id " + id + " not committed");
        }
        Directory d = directories.computeIfAbsent(directory, p -> new Directory());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        d.lock.lock();
        try {
            while (true) {
                if (d.synced >= ticket) {
                    if (ticket >= d.failedFrom && ticket <= d.failedTo) {
                        throw new SpoolException(
                                "directory fsync of " + directory + " failed for queue id " + id, d.failure);
                    }
                    return;
                }
                if (!d.syncing) {
                    d.syncing = true;
                    long upTo = d.requested;
                    IOException error = null;
                    d.lock.unlock();
                    try {
                        faults.before(SpoolFaults.Step.DIRECTORY_SYNC, id);
                        if (d.channel == null || !d.channel.isOpen()) {
                            d.channel = FileChannel.open(directory, StandardOpenOption.READ);
                        }
                        d.channel.force(true);
                        rounds.incrementAndGet();
                    } catch (IOException e) {
                        error = e;
                    } catch (RuntimeException e) {
                        error = new SpoolException("directory fsync failed", e);
                    } finally {
                        d.lock.lock();
                    }
                    if (error != null) {
                        LOG.error(
                                "fsync of spool directory {} failed; {} message(s) not acknowledged: {}",
                                directory,
                                upTo - d.synced,
                                error.toString());
                        d.failedFrom = d.synced + 1;
                        d.failedTo = upTo;
                        d.failure = error;
                    }
                    d.synced = upTo;
                    d.syncing = false;
                    d.changed.signalAll();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SpoolException("directory fsync of " + directory + " took longer than " + WAIT_SECONDS
                            + "s (queue id " + id + "); is the disk failing?");
                }
                try {
                    d.changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while committing queue id " + id);
                }
            }
        } finally {
            d.lock.unlock();
        }
    }

    /** fsyncs of directories done so far; with {@link #requestCount()} shows the sharing ratio. */
    public long roundCount() {
        return rounds.get();
    }

    public long requestCount() {
        return requests.get();
    }

    /** fsync(2) on a directory: makes creates, renames and unlinks in it durable (Linux). */
    public static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Directory d : directories.values()) {
            d.lock.lock();
            try {
                if (d.channel != null) {
                    d.channel.close();
                }
            } catch (IOException e) {
                LOG.debug("closing spool directory handle: {}", e.toString());
            } finally {
                d.lock.unlock();
            }
        }
    }
}
