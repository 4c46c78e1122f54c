package io.mxcutover.sync.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The copy plan of one folder: a pure function of the source snapshot, the target snapshot
 * and what the state remembers. Rules, in order, for each source message:
 *
 * <ol>
 *   <li>Recorded DONE under the current source UIDVALIDITY: nothing to copy, even when the
 *       target no longer has it (the user deleted it there: no resurrection). If the source's
 *       flags differ from the flags last synced and the target still has the message, the
 *       source's changes are applied on the target (three-way merge: the target keeps flags the
 *       user changed there).</li>
 *   <li>Recorded as INTENT (an APPEND may or may not have landed before a crash): if an
 *       unclaimed target message has the same identity, adopt it; else, once every exact match is
 *       taken, an unclaimed target message that differs only by an <em>earlier</em> INTERNALDATE
 *       (the target did not keep a date in the future and stored the time of the APPEND: Dovecot
 *       does so for dates more than 2 hours ahead) is the landed copy and is adopted; else copy.</li>
 *   <li>Not recorded under this UIDVALIDITY but recorded under an older one with the same
 *       identity: rebind the record to the new UID (no copy; the deletion rule still holds).</li>
 *   <li>Unknown: adopt an unclaimed target message with the same identity, else copy.</li>
 * </ol>
 * A target message is "claimed" when a DONE record points at its UID; identities are matched
 * as a multiset, so two identical messages on the source need two on the target.
 */
public final class SyncPlan {
    private SyncPlan() {}

    public record FolderPlan(String sourceFolder, List<Step> steps) {
        public FolderPlan {
            steps = List.copyOf(steps);
        }

        public long copies() {
            return steps.stream().filter(s -> s instanceof Step.Copy).count();
        }

        public long copyBytes() {
            return steps.stream()
                    .filter(s -> s instanceof Step.Copy)
                    .mapToLong(s -> ((Step.Copy) s).source().identity().size())
                    .sum();
        }

        public <T extends Step> List<T> stepsOf(Class<T> type) {
            return steps.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    public static FolderPlan plan(FolderSnapshot source, FolderSnapshot target, FolderState state) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(state, "state");
        Map<Long, MessageMeta> targetByUid = new HashMap<>();
        target.messages().forEach(m -> targetByUid.put(m.uid(), m));

        Map<Long, CopyRecord> current = new HashMap<>();
        Map<String, Deque<CopyRecord>> older = new HashMap<>();
        Set<Long> claimed = new HashSet<>();
        for (CopyRecord r : state.records()) {
            boolean sameTarget = r.targetUidValidity() == target.uidValidity();
            if (r.state() == CopyState.DONE && sameTarget && r.targetUid() > 0) {
                claimed.add(r.targetUid());
            }
            if (r.sourceUidValidity() == source.uidValidity()) {
                current.put(r.sourceUid(), r);
            } else if (r.state() == CopyState.DONE) {
                older.computeIfAbsent(r.identity().key(), k -> new ArrayDeque<>())
                        .add(r);
            }
        }
        Map<String, Deque<Long>> unclaimed = new HashMap<>();
        target.messages().stream()
                .sorted(Comparator.comparingLong(MessageMeta::uid))
                .filter(m -> !claimed.contains(m.uid()))
                .forEach(m -> unclaimed
                        .computeIfAbsent(m.identity().key(), k -> new ArrayDeque<>())
                        .add(m.uid()));

        List<Step> steps = new ArrayList<>();
        Map<Integer, MessageMeta> intentsNotFound = new java.util.TreeMap<>();
        List<MessageMeta> ordered = source.messages().stream()
                .sorted(Comparator.comparingLong(MessageMeta::uid))
                .toList();
        for (MessageMeta m : ordered) {
            CopyRecord r = current.get(m.uid());
            if (r != null && r.state() == CopyState.DONE) {
                flagStep(m, r, target, targetByUid).ifPresent(steps::add);
                continue;
            }
            if (r == null) {
                Deque<CopyRecord> olds = older.get(m.identity().key());
                if (olds != null && !olds.isEmpty()) {
                    steps.add(new Step.Rebind(olds.poll(), m));
                    continue;
                }
            }
            Deque<Long> onTarget = unclaimed.get(m.identity().key());
            if (onTarget != null && !onTarget.isEmpty()) {
                steps.add(new Step.Adopt(m, onTarget.poll(), r != null));
            } else if (r != null) {
                intentsNotFound.put(steps.size(), m);
                steps.add(new Step.Copy(m));
            } else {
                steps.add(new Step.Copy(m));
            }
        }
        adoptCopiesWithDateNotKept(steps, intentsNotFound, unclaimed, targetByUid);
        return new FolderPlan(source.folder(), steps);
    }

    // An INTENT whose copy landed with another INTERNALDATE than the one given on APPEND: without this,
    // the crash between APPEND and DONE of a future-dated message duplicated it on the next pass.
    private static void adoptCopiesWithDateNotKept(
            List<Step> steps,
            Map<Integer, MessageMeta> intents,
            Map<String, Deque<Long>> unclaimed,
            Map<Long, MessageMeta> targetByUid) {
        if (intents.isEmpty()) {
            return;
        }
        Map<String, Deque<Long>> byContent = new HashMap<>();
        unclaimed.values().stream().flatMap(Deque::stream).sorted().forEach(uid -> {
            Identity id = targetByUid.get(uid).identity();
            byContent
                    .computeIfAbsent(id.size() + ":" + id.headerDigest(), k -> new ArrayDeque<>())
                    .add(uid);
        });
        for (Map.Entry<Integer, MessageMeta> e : intents.entrySet()) {
            Identity id = e.getValue().identity();
            Deque<Long> candidates = byContent.getOrDefault(id.size() + ":" + id.headerDigest(), new ArrayDeque<>());
            Long found = candidates.stream()
                    .filter(uid -> targetByUid.get(uid).identity().internalDate() < id.internalDate())
                    .findFirst()
                    .orElse(null);
            if (found != null) {
                candidates.remove(found);
                steps.set(e.getKey(), new Step.Adopt(e.getValue(), found, true));
            }
        }
    }

    private static java.util.Optional<Step> flagStep(
            MessageMeta m, CopyRecord r, FolderSnapshot target, Map<Long, MessageMeta> targetByUid) {
        if (m.flags().equals(r.syncedFlags()) || r.targetUidValidity() != target.uidValidity()) {
            return java.util.Optional.empty();
        }
        MessageMeta onTarget = targetByUid.get(r.targetUid());
        if (onTarget == null) {
            return java.util.Optional.empty();
        }
        Set<String> add = new TreeSet<>(m.flags());
        add.removeAll(r.syncedFlags());
        Set<String> remove = new TreeSet<>(r.syncedFlags());
        remove.removeAll(m.flags());
        // Only what the target does not already reflect: the user may have made the same change.
        add.removeAll(onTarget.flags());
        remove.retainAll(onTarget.flags());
        return java.util.Optional.of(new Step.SetFlags(m.uid(), r.targetUid(), add, remove, m.flags()));
    }
}
