package io.mxcutover.sync.engine;

import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.RawMessage;
import io.mxcutover.sync.plan.FolderSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.MDC;

/**
 * The next folder's source side, read while the new server still appends the current folder's last batches: its
 * snapshot (EXAMINE and the metadata FETCH) and its first batch of bodies. Across a WAN a folder change otherwise
 * costs the legacy round trips in a row before the first APPEND of the next folder; with a bandwidth cap a folder
 * of one batch was fetched whole while the new server's link idled, then appended whole while the legacy's idled.
 *
 * <p>It starts once the current folder's fetcher has read its last body (the legacy session is free then), on a
 * thread of its own; the next folder takes it, and whoever does not use it discards it, which waits for it to end
 * (the legacy session is then free again) and closes the bodies it read.
 */
final class SourceLookahead {
    /** What was read ahead: the folder's snapshot and the bodies of the first messages it will likely copy. */
    record Ahead(FolderSnapshot listed, List<RawMessage> bodies) {
        Ahead {
            bodies = List.copyOf(bodies);
        }
    }

    private final String folder;
    private final FutureTask<Ahead> task;
    private volatile Thread thread;
    private boolean taken;

    private SourceLookahead(String folder, Callable<Ahead> work) {
        this.folder = folder;
        this.task = new FutureTask<>(work);
    }

    /** The legacy folder this reads. */
    String folder() {
        return folder;
    }

    /** Waits for the read; its failure is thrown here as it was there. The caller owns the bodies from here on. */
    Ahead take() throws ImapException {
        taken = true;
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImapException(
                    ImapException.Kind.CONNECTION,
                    "interrupted while reading folder '" + folder + "' of the legacy server",
                    "",
                    e);
        } catch (ExecutionException e) {
            throw MailboxSync.rethrown(e.getCause());
        }
    }

    /**
     * Waits for the read to end whatever its outcome; bodies not {@link #take taken} are closed. A read not taken
     * is interrupted first: one waiting at a throttled server's gate ends at once instead of holding the pass
     * (a FETCH already sent still ends with its answer or the I/O timeout).
     */
    void discard() {
        Thread t = thread;
        if (!taken && t != null) {
            t.interrupt();
        }
        boolean interrupted = false;
        while (true) {
            try {
                Ahead ahead = task.get();
                if (!taken) {
                    ahead.bodies().forEach(RawMessage::close);
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next folder's lookahead, not yet started: the current folder's fetcher {@link #start starts} it when it
     * is done with the legacy session; the folder loop {@link #seal seals} it once the current folder ended, so a
     * fetcher that ends late (its folder failed) cannot start it behind the loop's back.
     */
    static final class Next {
        private final String folder;
        private final Callable<Ahead> work;
        private SourceLookahead started;
        private boolean sealed;

        Next(String folder, Callable<Ahead> work) {
            this.folder = folder;
            this.work = work;
        }

        /** Starts the read on a thread of its own, once; nothing after {@link #seal}. */
        synchronized void start() {
            if (sealed || started != null) {
                return;
            }
            SourceLookahead ahead = new SourceLookahead(folder, work);
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            Thread t = new Thread(
                    () -> {
                        if (mdc != null) {
                            MDC.setContextMap(mdc);
                        }
                        MDC.put("folder", folder);
                        ahead.task.run();
                    },
                    "sync-source-ahead");
            t.setDaemon(true);
            ahead.thread = t;
            t.start();
            started = ahead;
        }

        /** No start from here on; the lookahead started before, or null. */
        synchronized SourceLookahead seal() {
            sealed = true;
            return started;
        }
    }
}
