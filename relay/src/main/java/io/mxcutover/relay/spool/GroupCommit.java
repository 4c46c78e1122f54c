package io.mxcutover.relay.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares directory fsyncs between concurrent writers. A caller renames its file, then calls
 * {@link #syncDirectory}: that returns once an fsync of the directory that started after the
 * call has completed. One thread does the fsyncs; requests that arrive while it is busy are
 * served together by the next one, so with N concurrent sessions the directory is synced about
 * once per round instead of N times.
 */
public final class GroupCommit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    private static final long WAIT_SECONDS = 120;

    private record Request(Path directory, SpoolId id, CompletableFuture<Void> done) {}

    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final SpoolFaults faults;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long rounds;
    private volatile long requests;

    public GroupCommit(SpoolFaults faults) {
        this.faults = faults;
        this.thread = new Thread(this::loop, "spool-group-commit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Blocks until {@code directory} has been fsynced after this call (covers earlier renames). */
    public void syncDirectory(Path directory, SpoolId id) throws IOException {
        if (!running) {
            throw new SpoolException("spool is shutting down; queue id " + id + " not committed");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Request(directory, id, done));
        try {
            done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while committing queue id " + id);
        } catch (TimeoutException e) {
            throw new SpoolException("directory fsync of " + directory + " took longer than "
                    + WAIT_SECONDS + "s (queue id " + id + "); is the disk failing?");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new SpoolException("directory fsync failed for queue id " + id, c);
        }
    }

    /** fsyncs of directories done so far; with {@link #requestCount()} shows the sharing ratio. */
    public long roundCount() {
        return rounds;
    }

    public long requestCount() {
        return requests;
    }

    private void loop() {
        List<Request> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Request first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                Map<Path, List<Request>> byDir = new LinkedHashMap<>();
                for (Request r : batch) {
                    byDir.computeIfAbsent(r.directory(), d -> new ArrayList<>()).add(r);
                }
                for (Map.Entry<Path, List<Request>> e : byDir.entrySet()) {
                    try {
                        faults.before(SpoolFaults.Step.DIRECTORY_SYNC, e.getValue().get(0).id());
                        fsyncDirectory(e.getKey());
                        rounds++;
                        e.getValue().forEach(r -> r.done().complete(null));
                    } catch (IOException | RuntimeException ex) {
                        LOG.error("fsync of spool directory {} failed; {} message(s) not acknowledged: {}",
                                e.getKey(), e.getValue().size(), ex.toString());
                        e.getValue().forEach(r -> r.done().completeExceptionally(
                                ex instanceof IOException ? ex : new SpoolException("directory fsync failed", ex)));
                    }
                }
                requests += batch.size();
                batch.clear();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            }
        }
        Request r;
        while ((r = queue.poll()) != null) {
            r.done().completeExceptionally(new SpoolException("spool closed before commit of " + r.id()));
        }
    }

    /** fsync(2) on a directory: makes creates, renames and unlinks in it durable (Linux). */
    public static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
