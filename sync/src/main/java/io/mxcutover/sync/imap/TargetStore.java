package io.mxcutover.sync.imap;

import java.util.List;
import java.util.Set;

/**
 * One logged-in session on the new server, the side the sync writes: everything a {@link SourceStore}
 * reads, plus CREATE, SUBSCRIBE, APPEND and STORE. Folders are SELECTed (read-write).
 *
 * <p>{@link ImapTargetStore} over IMAP; the engine's unit tests use an in-memory one.
 */
public interface TargetStore extends SourceStore {
    /** Creates {@code folder}; one that exists already (or is created meanwhile by another session) is fine. */
    void createFolder(String folder) throws ImapException;

    void subscribe(String folder) throws ImapException;

    /**
     * Creates the folders at once (and subscribes those in {@code subscribe}), ahead of copying into them: across
     * a WAN one round trip for all instead of two per folder on the copy's critical path. Returns the folders
     * created; any other (it exists already, the server refused its name, or this store creates one at a time)
     * is left to {@link #createFolder} and {@link #subscribe} at its turn, which say why. By default none.
     */
    default List<String> createFolders(List<String> folders, Set<String> subscribe) throws ImapException {
        return List.of();
    }

    /**
     * Whether an APPEND may carry a streamed message ({@link RawMessage#streamed}): one whose literal can fail
     * half-way, after which this session must be dropped, never reused. False by default.
     */
    default boolean appendsStreams() {
        return false;
    }

    /**
     * Appends the messages to {@code folder} exactly as fetched, with their source flags and INTERNALDATE.
     * Returns the target UID of each (0 when the server does not say), in order. A batch may be all-or-nothing
     * (MULTIAPPEND): a refusal is then reported for the batch and the caller retries message by message.
     */
    List<Long> append(String folder, List<RawMessage> messages) throws ImapException;

    /** An APPEND sent and not yet answered: {@link #finish()} reads its answer. */
    interface PendingAppend {
        /** The target UIDs, as {@link TargetStore#append} returns them; a refusal throws as it does. */
        List<Long> finish() throws ImapException;
    }

    /**
     * Sends the APPEND of {@link #append} without waiting for its answer, so the next batch can follow it at once
     * (across a WAN a round trip saved per batch). The caller finishes every pending append, in the order started,
     * before it uses this session for anything else. By default the append is done at once and the handle only
     * returns its outcome.
     */
    default PendingAppend startAppend(String folder, List<RawMessage> messages) throws ImapException {
        List<Long> uids;
        try {
            uids = append(folder, messages);
        } catch (ImapException e) {
            return () -> {
                throw e;
            };
        }
        return () -> uids;
    }

    /** Adds and removes flags on one message of the selected folder. */
    void storeFlags(long uid, Set<String> add, Set<String> remove) throws ImapException;
}
