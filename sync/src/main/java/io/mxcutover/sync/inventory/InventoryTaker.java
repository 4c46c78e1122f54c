package io.mxcutover.sync.inventory;

import io.mxcutover.sync.engine.FolderPlanner;
import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.FolderMapping;
import io.mxcutover.sync.folder.FolderMove;
import io.mxcutover.sync.folder.FolderPair;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSourceStore;
import io.mxcutover.sync.imap.ImapTargetStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.plan.MessageMeta;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the inventory of one mailbox. On legacy, read-only like the copy: LIST, STATUS per folder and, for a
 * folder that is not empty, EXAMINE and one metadata FETCH (UID, size, date, a few header fields; no body).
 * On new: LIST and the namespace, the {@code APPENDLIMIT} capability, the folder mapping the copy would make,
 * and each folder the copy would have to create tried under a scratch folder ({@link #SCRATCH_PREFIX}...)
 * that is deleted right after, so a name the new server refuses is known before the copy (Dovecot's
 * "Contains reserved name" for a level {@code new} under Maildir {@code LAYOUT=fs}). Nothing is copied.
 */
final class InventoryTaker {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryTaker.class);
    /** Name of the scratch folders made on the new server (a random suffix each), deleted afterwards. */
    static final String SCRATCH_PREFIX = "mxcutover-inventory-";
    /** How many of a mailbox's largest messages are named. */
    static final int LARGEST = 10;
    /** How many messages over the APPENDLIMIT are named per mailbox, the largest first (all are counted). */
    static final int OVER_LIMIT_NAMED = 50;

    private static final int KEPT = Math.max(LARGEST, OVER_LIMIT_NAMED);

    private final InventorySettings settings;
    private final Clock clock;

    InventoryTaker(InventorySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The inventory of one mailbox, and the new server's APPENDLIMIT as this login saw it. */
    record Taken(MailboxInventory inventory, OptionalLong appendLimit, long overAppendLimit) {}

    Taken take(MailboxAccount account) {
        Instant start = clock.instant();
        String address = account.address();
        List<FolderInfo> sourceFolders;
        Namespace sourceNs;
        Map<String, long[]> counts = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        // The largest messages (a bounded heap: a mailbox of a million messages must not hold them all) and every
        // size, for the count over the new server's APPENDLIMIT (which is only known after legacy was read).
        PriorityQueue<LargeMessage> top = new PriorityQueue<>(Comparator.comparingLong(LargeMessage::size));
        LongStream.Builder sizes = LongStream.builder();
        try (ImapSourceStore source = ImapSourceStore.open(settings.source(), account.source(), settings.imap())) {
            sourceNs = source.namespace();
            sourceFolders = source.folders();
            for (FolderInfo folder : sourceFolders) {
                if (!folder.selectable() || !settings.folderRules().accepts(folder.name(), sourceNs)) {
                    continue;
                }
                Optional<SideStatus> status = source.status(folder.name());
                if (status.isEmpty()) {
                    problems.add("legacy listed folder '" + folder.name() + "' but refused STATUS on it: not counted");
                    continue;
                }
                if (status.get().messages() == 0) {
                    counts.put(folder.name(), new long[] {0, 0});
                    continue;
                }
                FolderSnapshot snapshot = source.snapshot(folder.name());
                long bytes = 0;
                for (MessageMeta m : snapshot.messages()) {
                    long size = m.identity().size();
                    bytes += size;
                    sizes.add(size);
                    if (top.size() < KEPT || size > top.peek().size()) {
                        top.add(new LargeMessage(
                                folder.name(),
                                m.uid(),
                                size,
                                m.identity().messageId(),
                                Instant.ofEpochSecond(m.identity().internalDate())));
                        if (top.size() > KEPT) {
                            top.poll();
                        }
                    }
                }
                counts.put(folder.name(), new long[] {snapshot.messages().size(), bytes});
            }
        } catch (ImapException e) {
            MailboxInventory.Outcome outcome = e.kind() == ImapException.Kind.AUTHENTICATION
                    ? MailboxInventory.Outcome.LOGIN_FAILED
                    : MailboxInventory.Outcome.FAILED;
            LOG.info("inventory of {}: {}", address, e.getMessage());
            return new Taken(
                    MailboxInventory.failed(address, outcome, e.getMessage(), since(start)), OptionalLong.empty(), 0);
        }
        List<LargeMessage> all = new ArrayList<>(top);
        all.sort(Comparator.comparingLong(LargeMessage::size).reversed());
        List<LargeMessage> largest = all.subList(0, Math.min(LARGEST, all.size()));

        Map<String, FolderCount> folders = new LinkedHashMap<>();
        counts.forEach((f, c) -> folders.put(f, new FolderCount(f, c[0], c[1], "", FolderCount.Fate.UNCHECKED, "")));
        String newProblem = "";
        OptionalLong limit = OptionalLong.empty();
        List<LargeMessage> over = List.of();
        long overCount = 0;
        if (settings.target().isEmpty()) {
            newProblem = "the new server was not checked (no new server given)";
        } else {
            try {
                limit = checkTarget(account, settings.target().get(), sourceFolders, sourceNs, folders);
            } catch (ImapException e) {
                newProblem = e.getMessage();
                LOG.info("inventory of {}: new server not checked: {}", address, e.getMessage());
            }
            if (limit.isPresent()) {
                long max = limit.getAsLong();
                overCount = sizes.build().filter(size -> size > max).count();
                over = all.stream().filter(m -> m.size() > max).toList();
            }
        }
        MailboxInventory inventory = new MailboxInventory(
                address,
                MailboxInventory.Outcome.LISTED,
                String.join("; ", problems),
                newProblem,
                List.copyOf(folders.values()),
                largest,
                over,
                since(start));
        return new Taken(inventory, limit, overCount);
    }

    /** Maps the folders against the new server, tries the names it would create; returns its APPENDLIMIT. */
    private OptionalLong checkTarget(
            MailboxAccount account,
            ImapEndpoint endpoint,
            List<FolderInfo> sourceFolders,
            Namespace sourceNs,
            Map<String, FolderCount> folders)
            throws ImapException {
        try (ImapTargetStore target = ImapTargetStore.open(endpoint, account.target(), settings.imap())) {
            Namespace targetNs = target.namespace();
            List<FolderInfo> targetFolders = target.folders();
            Set<String> present = new HashSet<>();
            targetFolders.forEach(f -> present.add(f.name()));
            List<FolderInfo> counted = sourceFolders.stream()
                    .filter(f -> folders.containsKey(f.name()))
                    .toList();
            FolderPlanner.Planned planned = FolderPlanner.plan(
                    counted, sourceNs, targetFolders, targetNs, settings.folderRules(), List.of(), Map.of());
            Map<String, FolderMove> moves = new HashMap<>();
            planned.newLines().forEach(l -> moves.put(l.sourceFolder(), l.move()));
            Map<String, String> refused = probe(
                    target,
                    targetNs,
                    planned.pairs().stream()
                            .map(FolderPair::target)
                            .filter(t -> !present.contains(t) && !t.equalsIgnoreCase("INBOX"))
                            .toList());
            for (FolderPair pair : planned.pairs()) {
                FolderCount c = folders.get(pair.source());
                FolderMove move = moves.get(pair.source());
                FolderCount.Fate fate;
                String reason;
                if (refused.containsKey(pair.target())) {
                    fate = FolderCount.Fate.REFUSED;
                    reason = "the new server refused to create '" + pair.target() + "': " + refused.get(pair.target())
                            + " (the copy would fail this folder: rename it on legacy, or give it another name with a folder"
                            + " rename rule)";
                } else if (move == null || move.kind() == FolderMove.Kind.SAME) {
                    fate = FolderCount.Fate.SAME;
                    reason = "";
                } else {
                    fate = move.kind() == FolderMove.Kind.MERGED ? FolderCount.Fate.MERGED : FolderCount.Fate.RENAMED;
                    reason = move.reason();
                }
                folders.put(
                        pair.source(),
                        new FolderCount(c.sourceFolder(), c.messages(), c.bytes(), pair.target(), fate, reason));
            }
            return target.appendLimit();
        }
    }

    /**
     * Creates each name under a fresh scratch folder and deletes the scratch folder's whole tree afterwards.
     * Returns the names refused, with the server's words.
     */
    private Map<String, String> probe(ImapTargetStore target, Namespace ns, List<String> names) throws ImapException {
        Map<String, String> refused = new HashMap<>();
        if (names.isEmpty()) {
            return refused;
        }
        String scratch = FolderMapping.targetName(
                List.of(SCRATCH_PREFIX
                        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL)),
                ns);
        target.createFolder(scratch);
        try {
            for (String name : names) {
                String relative =
                        name.regionMatches(true, 0, ns.prefix(), 0, ns.prefix().length())
                                ? name.substring(ns.prefix().length())
                                : name;
                try {
                    target.createFolder(scratch + ns.separator() + relative);
                } catch (ImapException e) {
                    if (e.kind() != ImapException.Kind.REFUSED) {
                        throw e;
                    }
                    refused.put(name, e.serverText().isEmpty() ? e.getMessage() : serverWords(e.serverText()));
                }
            }
        } finally {
            deleteTree(target, scratch, ns);
        }
        return refused;
    }

    /**
     * The server's reason without the command's tag and Dovecot's timing: {@code H11 NO [CANNOT] Invalid mailbox
     * name (0.001 + 0.000 secs).} is {@code [CANNOT] Invalid mailbox name}.
     */
    static String serverWords(String text) {
        return text.strip()
                .replaceFirst("^[A-Za-z0-9]+ (NO|BAD) ", "")
                .replaceFirst("\\s*\\(\\d+\\.\\d+ \\+ \\d+\\.\\d+ secs\\)\\.?$", "");
    }

    /**
     * Deletes a scratch folder and everything under it, deepest first. Best effort: a folder left behind is
     * logged with its name (the admin deletes it); the inventory goes on.
     */
    static void deleteTree(ImapTargetStore target, String scratch, Namespace ns) {
        String under = scratch + ns.separator();
        try {
            List<String> tree = new ArrayList<>(target.folders().stream()
                    .map(FolderInfo::name)
                    .filter(n -> n.startsWith(under))
                    .toList());
            tree.sort(Comparator.comparingInt(String::length).reversed());
            tree.add(scratch);
            for (String n : tree) {
                try {
                    target.deleteFolder(n);
                } catch (ImapException e) {
                    // A parent the server made implicitly (\NonExistent) may refuse DELETE: the rest still goes.
                    LOG.debug("scratch folder '{}': {}", n, e.getMessage());
                }
            }
            if (target.folders().stream()
                    .anyMatch(f -> f.name().equals(scratch) || f.name().startsWith(under))) {
                LOG.warn(
                        "the inventory's scratch folder '{}' is still on the {}: delete it by hand",
                        scratch,
                        target.label());
            }
        } catch (ImapException e) {
            LOG.warn(
                    "the inventory's scratch folder '{}' may still be on the {}: {}",
                    scratch,
                    target.label(),
                    e.getMessage());
        }
    }

    private Duration since(Instant start) {
        return Duration.between(start, clock.instant());
    }
}
