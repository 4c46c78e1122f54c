package io.mxcutover.sync.imap;

import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.plan.MessageMeta;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One logged-in session on a mailbox that the sync only reads: the legacy server always, and the new
 * server when it is only compared (verification, the backup check). It has no command that changes
 * the server: no APPEND, no STORE, no CREATE; that is the {@link TargetStore}'s. One folder is selected
 * at a time (EXAMINE). Not thread-safe: one per worker.
 *
 * <p>{@link ImapSourceStore} over IMAP; the engine's unit tests use an in-memory one.
 */
public interface SourceStore extends AutoCloseable {
    /** Names the session in messages: side, server and login, never a secret. */
    String label();

    Namespace namespace() throws ImapException;

    List<FolderInfo> folders() throws ImapException;

    /** STATUS of a folder; empty if the folder does not exist. Selects nothing. */
    Optional<SideStatus> status(String folder) throws ImapException;

    /**
     * STATUS of each of {@code folders}, as {@link #status} gives it (empty: refused or gone), in their order.
     * A session may send them all at once (one round trip for all).
     */
    default Map<String, Optional<SideStatus>> statuses(List<String> folders) throws ImapException {
        Map<String, Optional<SideStatus>> out = new java.util.LinkedHashMap<>();
        for (String f : folders) {
            out.put(f, status(f));
        }
        return out;
    }

    /** Selects {@code folder} and reads every message's metadata. */
    FolderSnapshot snapshot(String folder) throws ImapException;

    /** Selects {@code folder} (for {@link #fetchBodies}), unless it is selected already. */
    void select(String folder) throws ImapException;

    /**
     * The raw bytes of these messages of the selected folder, in batches, each handed to {@code sink} in order.
     * A UID the server no longer has is skipped (expunged meanwhile).
     */
    void fetchBodies(List<MessageMeta> messages, BodySink sink) throws ImapException;

    /** SHA-256 of each message's raw bytes (for verification), streaming large ones. */
    default Map<Long, String> contentHashes(List<MessageMeta> messages) throws ImapException {
        Map<Long, String> out = new HashMap<>();
        fetchBodies(messages, raw -> {
            try (raw) {
                out.put(raw.meta().uid(), raw.sha256());
            }
        });
        return out;
    }

    /** Logs out; never fails. */
    @Override
    void close();

    /** Receives fetched messages one at a time; the receiver owns (and closes) each. */
    interface BodySink {
        void accept(RawMessage message) throws ImapException;

        /** Called before each FETCH command goes out (the caller may hold it back, e.g. for a throttled server). */
        default void beforeFetch() throws ImapException {}

        /**
         * Called once the bodies of one FETCH batch (or one large message) were all {@link #accept accepted}: the
         * place to pass them on, rather than wait for the next batch's answer to fill a byte count.
         */
        default void endOfBatch() throws ImapException {}

        /**
         * The byte limit of the first FETCH batch; each next one may hold twice as much, up to the batch limit.
         * Small first batches give the new server its first APPEND early, where a full batch on a slow link
         * would keep it idle for seconds (a pass's first folder); unlimited by default.
         */
        default long firstBatchBytes() {
            return Long.MAX_VALUE;
        }

        /**
         * Whether a large message may come as a stream ({@link RawMessage#streamed}): accepted before its bytes
         * arrive, sent on as they come, written once. A consumer that reads a message twice (a retry from its bytes)
         * or keeps it must say no; the default.
         */
        default boolean takesStreams() {
            return false;
        }
    }
}
