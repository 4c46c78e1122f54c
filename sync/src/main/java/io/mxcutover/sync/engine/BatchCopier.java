package io.mxcutover.sync.engine;

import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.RawMessage;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.imap.TargetStore;
import io.mxcutover.sync.plan.MessageMeta;
import io.mxcutover.sync.run.Backoff;
import io.mxcutover.sync.run.SyncSettings;
import io.mxcutover.sync.state.Failure;
import io.mxcutover.sync.state.SyncStore;
import io.mxcutover.sync.throttle.ServerGates;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a folder's messages in batches with the source and target working at the same time:
 * a fetcher thread reads batch n+1 from the source while this thread appends batch n to the
 * target. At most two fetched batches wait in between, and the APPEND of a batch is sent before
 * the answer to the previous one is read, so memory stays bounded by {@code 4 x batchBytes}
 * plus one large-message slice (and one more batch read ahead for the next folder, see
 * {@link SourceLookahead}).
 *
 * <p>Per batch, in this order: journal INTENT (committed), APPEND (MULTIAPPEND when offered),
 * record DONE with the target UIDs and the content hashes. When a multi-message APPEND is
 * refused, the batch is retried message by message and only the refused ones are recorded as
 * failures (their INTENT stays, so the next pass looks them up before copying).
 */
final class BatchCopier {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCopier.class);

    record Outcome(long copied, long bytes, long refused) {}

    private record Batch(List<RawMessage> messages, ImapException error, boolean end) {}

    private final SyncStore store;
    private final SyncSettings settings;
    private final Clock clock;
    private final FaultInjector faults;
    private final ServerGates gates;

    BatchCopier(SyncStore store, SyncSettings settings, Clock clock, FaultInjector faults, ServerGates gates) {
        this.gates = gates;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.faults = faults;
    }

    /**
     * Copies {@code messages} (their failures so far in {@code failures}). {@code fetched} holds bodies already
     * read (a lookahead): those of the first {@code messages}, in their order, are copied without being fetched
     * again; any other is closed unused. {@code sourceDone} runs on the fetcher thread once it read its last body
     * without failure: the legacy session is free from then on. {@code firstBatchBytes}: the first FETCH's byte
     * limit, doubled for each next one up to the batch limit ({@link SourceStore.BodySink#firstBatchBytes}).
     */
    Outcome copy(
            String address,
            SourceStore source,
            TargetStore target,
            String sourceFolder,
            String targetFolder,
            long sourceUidValidity,
            long targetUidValidity,
            List<MessageMeta> messages,
            Map<Long, Failure> failures,
            List<RawMessage> fetched,
            Runnable sourceDone,
            long firstBatchBytes)
            throws ImapException {
        int ready = matchingPrefix(messages, fetched);
        fetched.subList(ready, fetched.size()).forEach(RawMessage::close);
        if (messages.isEmpty()) {
            return new Outcome(0, 0, 0);
        }
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(2);
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread fetcher = new Thread(
                () -> fetchAll(
                        source,
                        fetched.subList(0, ready),
                        messages.subList(ready, messages.size()),
                        queue,
                        cancelled,
                        sourceDone,
                        firstBatchBytes,
                        target.appendsStreams()),
                "sync-fetch-" + address);
        fetcher.setDaemon(true);
        fetcher.start();
        long[] tally = new long[3]; // copied, bytes, refused
        Completion completion = f -> complete(
                address, target, sourceFolder, targetFolder, sourceUidValidity, targetUidValidity, f, failures, tally);
        InFlight inFlight = null;
        try {
            while (true) {
                Batch batch = take(queue);
                if (batch.end()) {
                    break;
                }
                if (batch.error() != null) {
                    throw batch.error(); // the batch in flight is completed below
                }
                List<RawMessage> raws = batch.messages();
                boolean sent = false;
                try {
                    awaitGate(ServerGates.key(settings.target()));
                    List<MessageMeta> metas =
                            raws.stream().map(RawMessage::meta).toList();
                    store.recordIntents(address, sourceFolder, targetFolder, sourceUidValidity, metas);
                    faults.reached(FaultPoint.INTENT_COMMITTED);
                    faults.reached(FaultPoint.BODIES_FETCHED);
                    // Leased work: no APPEND once the lease is about to lapse (another node may take the mailbox).
                    store.beforeTargetWrite(address);
                    boolean streamed = raws.stream().anyMatch(RawMessage::streamed);
                    if (streamed && inFlight != null) {
                        // A streamed literal can be cut by the legacy server, and the new server's connection with
                        // it: what was sent before is answered and journaled first.
                        InFlight previous = inFlight;
                        inFlight = null;
                        completion.complete(previous);
                    }
                    // Sent without waiting for the answer: the previous batch's answer is read after, so the new
                    // server's link carries this batch during the round trip that answer takes.
                    InFlight previous = inFlight;
                    inFlight = new InFlight(raws, startAppend(target, targetFolder, raws));
                    sent = true;
                    if (previous != null) {
                        completion.complete(previous);
                    }
                } finally {
                    if (!sent) {
                        raws.forEach(RawMessage::close);
                    }
                }
            }
            if (inFlight != null) {
                InFlight last = inFlight;
                inFlight = null;
                completion.complete(last);
            }
        } catch (ImapException | RuntimeException e) {
            // The batch sent last still gets its answer read and journaled where the connection allows (the source
            // failed, the pass was stopped): what landed is then DONE, not left to the next pass to look up. Not
            // after an Error (a crash does not go on writing either).
            if (inFlight != null) {
                InFlight last = inFlight;
                inFlight = null;
                try {
                    completion.complete(last);
                } catch (ImapException | RuntimeException also) {
                    e.addSuppressed(also);
                }
            }
            throw e;
        } finally {
            if (inFlight != null) {
                // Not finished (an Error above): its INTENT stays, so the next pass looks its messages up on the
                // target before copying them again.
                inFlight.raws().forEach(RawMessage::close);
            }
            cancelled.set(true);
            drain(queue);
            fetcher.interrupt();
            // The legacy session is free once the fetcher ended (a FETCH it was reading ends with its answer or
            // the I/O timeout): the next folder or a lookahead may use it then, not while it still reads.
            joinQuietly(fetcher, settings.imap().ioTimeout().toMillis() * 2, address, sourceFolder);
            drain(queue);
        }
        return new Outcome(tally[0], tally[1], tally[2]);
    }

    /**
     * Sends a batch's APPEND. When a streamed message's literal was cut because the legacy server failed (or sent
     * another length than its RFC822.SIZE), that is the error, not the new server's dropped connection.
     */
    private static TargetStore.PendingAppend startAppend(TargetStore target, String folder, List<RawMessage> raws)
            throws ImapException {
        for (RawMessage raw : raws) {
            java.util.Optional<java.io.IOException> cut = raw.streamFailure();
            if (cut.isPresent()) { // failed before its APPEND began: the new server's connection stays
                throw streamCut(raw, cut.get(), "");
            }
        }
        try {
            return target.startAppend(folder, raws);
        } catch (ImapException e) {
            for (RawMessage raw : raws) {
                java.util.Optional<java.io.IOException> cut = raw.streamFailure();
                if (cut.isPresent()) {
                    ImapException source = streamCut(
                            raw, cut.get(), " (the new server's connection was dropped, so it kept no part of it)");
                    source.addSuppressed(e);
                    throw source;
                }
            }
            throw e;
        }
    }

    private static ImapException streamCut(RawMessage raw, java.io.IOException cut, String more) {
        return new ImapException(
                ImapException.Kind.CONNECTION,
                "message UID " + raw.meta().uid() + " was not copied: " + cut.getMessage() + more,
                "",
                cut);
    }

    /**
     * How many of {@code fetched} are the bodies of the first {@code messages}, in order (by UID): those are
     * copied as they are; the rest of {@code fetched} is not used.
     */
    static int matchingPrefix(List<MessageMeta> messages, List<RawMessage> fetched) {
        int k = 0;
        while (k < fetched.size()
                && k < messages.size()
                && fetched.get(k).meta().uid() == messages.get(k).uid()) {
            k++;
        }
        return k;
    }

    /**
     * The first batch of {@code messages} as the fetcher would cut it: up to {@code batchMessages} messages and
     * until {@code batchBytes} is reached, stopping before a message over {@code largeMessageBytes} (those are
     * fetched in slices, never read ahead).
     */
    static List<MessageMeta> firstBatch(
            List<MessageMeta> messages, int batchMessages, long batchBytes, long largeMessageBytes) {
        List<MessageMeta> batch = new ArrayList<>();
        long bytes = 0;
        for (MessageMeta m : messages) {
            long size = m.identity().size();
            if (size > largeMessageBytes || batch.size() >= batchMessages || bytes >= batchBytes) {
                break;
            }
            batch.add(m);
            bytes += size;
        }
        return batch;
    }

    private static void joinQuietly(Thread t, long millis, String address, String folder) {
        try {
            t.join(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn(
                    "mailbox {}: folder '{}': the legacy read of this folder did not end within {} ms of the copy's"
                            + " end (a server answering slowly); the next folder may wait for the legacy connection",
                    address,
                    folder,
                    millis);
        }
    }

    private interface Completion {
        void complete(InFlight batch) throws ImapException;
    }

    /** A batch whose APPEND was sent; its messages stay open until its answer is read (a refusal retries them). */
    private record InFlight(List<RawMessage> raws, TargetStore.PendingAppend append) {}

    /** Reads a sent batch's answer and journals it: DONE with the target UIDs, refusals as failures. */
    private void complete(
            String address,
            TargetStore target,
            String sourceFolder,
            String targetFolder,
            long sourceUidValidity,
            long targetUidValidity,
            InFlight batch,
            Map<Long, Failure> failures,
            long[] tally)
            throws ImapException {
        try {
            List<SyncStore.Copied> done = new ArrayList<>();
            List<RawMessage> rejected = new ArrayList<>();
            appendBatch(target, targetFolder, targetUidValidity, batch, done, rejected);
            faults.reached(FaultPoint.APPENDED);
            store.recordCopied(address, sourceFolder, targetFolder, sourceUidValidity, done);
            store.clearFailures(
                    address,
                    sourceFolder,
                    sourceUidValidity,
                    done.stream()
                            .map(d -> d.source().uid())
                            .filter(failures::containsKey)
                            .toList());
            faults.reached(FaultPoint.DONE_COMMITTED);
            for (RawMessage r : rejected) {
                recordRefusal(address, sourceFolder, sourceUidValidity, r, failures);
            }
            tally[0] += done.size();
            tally[1] +=
                    done.stream().mapToLong(d -> d.source().identity().size()).sum();
            tally[2] += rejected.size();
        } finally {
            batch.raws().forEach(RawMessage::close);
        }
    }

    private void appendBatch(
            TargetStore target,
            String targetFolder,
            long targetUidValidity,
            InFlight batch,
            List<SyncStore.Copied> done,
            List<RawMessage> rejected)
            throws ImapException {
        List<RawMessage> raws = batch.raws();
        try {
            List<Long> uids = batch.append().finish();
            for (int i = 0; i < raws.size(); i++) {
                done.add(new SyncStore.Copied(
                        raws.get(i).meta(),
                        targetUidValidity,
                        uids.get(i),
                        raws.get(i).sha256()));
            }
            return;
        } catch (ImapException e) {
            if (e.kind() != ImapException.Kind.REFUSED) {
                throw e;
            }
            if (raws.size() == 1) {
                rejected.add(raws.get(0));
                lastRefusal.put(raws.get(0).meta().uid(), e.serverText().isEmpty() ? e.getMessage() : e.serverText());
                return;
            }
            LOG.info(
                    "target refused a batch of {} messages for '{}' ({}); retrying one by one",
                    raws.size(),
                    targetFolder,
                    e.serverText());
        }
        for (RawMessage raw : raws) {
            try {
                long uid = target.append(targetFolder, List.of(raw)).get(0);
                done.add(new SyncStore.Copied(raw.meta(), targetUidValidity, uid, raw.sha256()));
            } catch (ImapException e) {
                if (e.kind() != ImapException.Kind.REFUSED) {
                    throw e;
                }
                rejected.add(raw);
                lastRefusal.put(raw.meta().uid(), e.serverText().isEmpty() ? e.getMessage() : e.serverText());
            }
        }
    }

    private final Map<Long, String> lastRefusal = new java.util.HashMap<>();

    private void recordRefusal(
            String address, String folder, long uidValidity, RawMessage raw, Map<Long, Failure> failures) {
        Instant now = clock.instant();
        Failure previous = failures.get(raw.meta().uid());
        int attempts = previous == null ? 1 : previous.attempts() + 1;
        String reason = "target refused the message (UID " + raw.meta().uid() + ", Message-ID "
                + (raw.meta().identity().hasMessageId() ? raw.meta().identity().messageId() : "none") + ", "
                + raw.meta().identity().size() + " bytes): "
                + lastRefusal.getOrDefault(raw.meta().uid(), "");
        LOG.warn("mailbox {}: folder '{}': {} (attempt {})", address, folder, reason, attempts);
        store.recordFailure(new Failure(
                address,
                folder,
                uidValidity,
                raw.meta().uid(),
                "MESSAGE",
                reason,
                attempts,
                previous == null ? now : previous.firstFailedAt(),
                now,
                Backoff.MESSAGES.next(attempts, now, reason)));
    }

    private void fetchAll(
            SourceStore source,
            List<RawMessage> ready,
            List<MessageMeta> messages,
            BlockingQueue<Batch> queue,
            AtomicBoolean cancelled,
            Runnable sourceDone,
            long firstBatchBytes,
            boolean takesStreams) {
        List<RawMessage> current = new ArrayList<>();
        long[] bytes = {0};
        int[] taken = {0}; // of ready: those from here on are still this method's to close
        try {
            SourceStore.BodySink sink = new SourceStore.BodySink() {
                @Override
                public void beforeFetch() throws ImapException {
                    awaitGate(ServerGates.key(settings.source())); // a throttled server gets no new FETCH
                }

                @Override
                public void accept(RawMessage raw) throws ImapException {
                    if (cancelled.get()) {
                        raw.close();
                        throw new ImapException(ImapException.Kind.PROTOCOL, "cancelled", "", null);
                    }
                    if (raw.streamed()) {
                        endOfBatch(); // a streamed message is a batch of its own: it cannot be appended twice
                    }
                    current.add(raw);
                    bytes[0] += raw.size();
                    if (current.size() >= settings.imap().batchMessages()
                            || bytes[0] >= settings.imap().batchBytes()
                            || raw.size() > settings.imap().largeMessageBytes()
                            || raw.streamed()) {
                        endOfBatch();
                    }
                }

                @Override
                public long firstBatchBytes() {
                    return firstBatchBytes;
                }

                @Override
                public boolean takesStreams() {
                    return takesStreams;
                }

                @Override
                public void endOfBatch() {
                    // The bodies of one FETCH go to the new server as they are: waiting to fill batchBytes would
                    // hold them until the next FETCH is answered (a round trip, or a whole batch on a slow link).
                    if (!current.isEmpty()) {
                        put(queue, new Batch(List.copyOf(current), null, false), cancelled);
                        current.clear();
                        bytes[0] = 0;
                    }
                }
            };
            while (taken[0] < ready.size()) {
                sink.accept(ready.get(taken[0]++));
            }
            sink.endOfBatch(); // bodies read ahead go to the new server at once, not with the next ones fetched
            if (!messages.isEmpty()) {
                source.fetchBodies(messages, sink);
            }
            if (!cancelled.get()) {
                sourceDone.run();
            }
            sink.endOfBatch();
            put(queue, new Batch(List.of(), null, true), cancelled);
        } catch (ImapException e) {
            current.forEach(RawMessage::close);
            ready.subList(taken[0], ready.size()).forEach(RawMessage::close);
            put(queue, new Batch(List.of(), e, false), cancelled);
        } catch (RuntimeException e) {
            current.forEach(RawMessage::close);
            ready.subList(taken[0], ready.size()).forEach(RawMessage::close);
            put(
                    queue,
                    new Batch(
                            List.of(),
                            new ImapException(
                                    ImapException.Kind.PROTOCOL, "fetching from the source failed: " + e, "", e),
                            false),
                    cancelled);
        }
    }

    /** Pauses while a throttled server's gate is closed (another mailbox may have closed it). */
    private void awaitGate(String server) throws ImapException {
        awaitGate(gates, server);
    }

    /** Pauses while {@code server}'s gate is closed. */
    static void awaitGate(ServerGates gates, String server) throws ImapException {
        try {
            gates.await(server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImapException(
                    ImapException.Kind.CONNECTION,
                    "interrupted while waiting for throttled server " + server,
                    "",
                    e,
                    server);
        }
    }

    private static void put(BlockingQueue<Batch> queue, Batch batch, AtomicBoolean cancelled) {
        try {
            while (!cancelled.get()) {
                if (queue.offer(batch, 200, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        batch.messages().forEach(RawMessage::close);
    }

    private Batch take(BlockingQueue<Batch> queue) throws ImapException {
        try {
            Batch b = queue.poll(settings.imap().ioTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
            if (b == null) {
                throw new ImapException(
                        ImapException.Kind.CONNECTION, "the source stopped delivering message bodies", "", null);
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImapException(ImapException.Kind.CONNECTION, "interrupted while copying", "", e);
        }
    }

    private static void drain(BlockingQueue<Batch> queue) {
        Batch b;
        while ((b = queue.poll()) != null) {
            b.messages().forEach(RawMessage::close);
        }
    }
}
