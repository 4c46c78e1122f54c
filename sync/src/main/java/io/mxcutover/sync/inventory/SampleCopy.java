package io.mxcutover.sync.inventory;

import io.mxcutover.sync.folder.FolderMapping;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSourceStore;
import io.mxcutover.sync.imap.ImapTargetStore;
import io.mxcutover.sync.imap.RawMessage;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.plan.MessageMeta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short timed copy of real messages, to measure the copy rate against these servers when this appliance has
 * not copied anything there yet. Up to {@link #MESSAGES} messages (and {@link #BYTES} bytes) spread evenly over
 * one mailbox's largest folder are fetched from legacy (EXAMINE, BODY.PEEK: read-only as always) and appended
 * to a scratch folder on the new server the way the copy does it (batches, MULTIAPPEND, fetch and append at the
 * same time), then the scratch folder is deleted. Nothing is journaled: the copy later copies them for real.
 * It stops early after {@link #TIME_LIMIT}.
 */
final class SampleCopy {
    private static final Logger LOG = LoggerFactory.getLogger(SampleCopy.class);
    static final int MESSAGES = 200;
    static final long BYTES = 20_000_000;
    static final Duration TIME_LIMIT = Duration.ofSeconds(20);

    private final InventorySettings settings;
    private final Clock clock;

    SampleCopy(InventorySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The rate measured on {@code account}'s {@code folder}; empty (with the reason logged) when it failed. */
    Optional<CopyRate> measure(MailboxAccount account, String folder) {
        try (ImapSourceStore source = ImapSourceStore.open(settings.source(), account.source(), settings.imap());
                ImapTargetStore target =
                        ImapTargetStore.open(settings.target().orElseThrow(), account.target(), settings.imap())) {
            List<MessageMeta> picked = pick(source.snapshot(folder).messages());
            if (picked.isEmpty()) {
                return Optional.empty();
            }
            Namespace ns = target.namespace();
            String scratch = FolderMapping.targetName(
                    List.of(InventoryTaker.SCRATCH_PREFIX + "sample-"
                            + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL)),
                    ns);
            target.createFolder(scratch);
            try {
                target.select(scratch);
                return copy(source, target, scratch, picked, account.address(), folder);
            } finally {
                InventoryTaker.deleteTree(target, scratch, ns);
            }
        } catch (ImapException | RuntimeException e) {
            LOG.warn(
                    "sample copy from {} failed, the estimate uses the documented default rate: {}",
                    account.address(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Every k-th message, so small and large ones are both in the sample, within the byte budget. */
    static List<MessageMeta> pick(List<MessageMeta> messages) {
        int step = Math.max(1, (int) Math.ceil(messages.size() / (double) MESSAGES));
        List<MessageMeta> out = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < messages.size() && out.size() < MESSAGES; i += step) {
            MessageMeta m = messages.get(i);
            if (bytes + m.identity().size() > BYTES) {
                continue;
            }
            out.add(m);
            bytes += m.identity().size();
        }
        return out;
    }

    private record Batch(List<RawMessage> messages, boolean end) {}

    private Optional<CopyRate> copy(
            ImapSourceStore source,
            ImapTargetStore target,
            String scratch,
            List<MessageMeta> picked,
            String address,
            String folder)
            throws ImapException {
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(2);
        Instant start = clock.instant();
        Instant deadline = start.plus(TIME_LIMIT);
        ImapException[] fetchError = new ImapException[1];
        source.select(folder);
        Thread fetcher = new Thread(
                () -> {
                    List<RawMessage> batch = new ArrayList<>();
                    try {
                        source.fetchBodies(picked, new SourceStore.BodySink() {
                            @Override
                            public void accept(RawMessage m) {
                                batch.add(m);
                                if (batch.size() >= settings.imap().batchMessages()) {
                                    put(queue, new Batch(List.copyOf(batch), false));
                                    batch.clear();
                                }
                            }

                            @Override
                            public void beforeFetch() {
                                if (clock.instant().isAfter(deadline)) {
                                    throw new TimeUp();
                                }
                            }
                        });
                    } catch (ImapException e) {
                        fetchError[0] = e;
                    } catch (TimeUp e) {
                        // enough measured
                    } finally {
                        if (!batch.isEmpty()) {
                            put(queue, new Batch(List.copyOf(batch), false));
                        }
                        put(queue, new Batch(List.of(), true));
                    }
                },
                "inventory-sample-fetch");
        fetcher.setDaemon(true);
        fetcher.start();
        long messages = 0;
        long bytes = 0;
        try {
            while (true) {
                Batch b = queue.poll(TIME_LIMIT.toSeconds() * 3, TimeUnit.SECONDS);
                if (b == null || b.end()) {
                    break;
                }
                try {
                    target.append(scratch, b.messages());
                    messages += b.messages().size();
                    bytes += b.messages().stream().mapToLong(RawMessage::size).sum();
                } finally {
                    b.messages().forEach(RawMessage::close);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            fetcher.interrupt();
        }
        if (fetchError[0] != null) {
            throw fetchError[0];
        }
        double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
        if (messages == 0 || seconds <= 0) {
            return Optional.empty();
        }
        return Optional.of(new CopyRate(
                messages / seconds,
                Math.max(1, bytes) / seconds,
                CopyRate.Source.SAMPLE,
                String.format(
                        java.util.Locale.ROOT,
                        "sample copy of %d message(s), %d bytes from %s folder '%s'"
                                + " into a scratch folder on the new server (deleted) in %.1f s",
                        messages,
                        bytes,
                        address,
                        folder,
                        seconds)));
    }

    private static void put(BlockingQueue<Batch> queue, Batch b) {
        try {
            queue.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            b.messages().forEach(RawMessage::close);
        }
    }

    /** Thrown from the fetcher's sink when the time limit is reached. */
    private static final class TimeUp extends RuntimeException {
        TimeUp() {
            super("sample time limit reached", null, false, false);
        }
    }
}
