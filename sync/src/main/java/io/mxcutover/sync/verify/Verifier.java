package io.mxcutover.sync.verify;

import io.mxcutover.sync.engine.FolderPlanner;
import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.FolderMove;
import io.mxcutover.sync.folder.FolderPair;
import io.mxcutover.sync.imap.ContentShape;
import io.mxcutover.sync.imap.ImapException;
import io.mxcutover.sync.imap.ImapSourceStore;
import io.mxcutover.sync.imap.ImapTargetStore;
import io.mxcutover.sync.imap.SourceStore;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.plan.CopyRecord;
import io.mxcutover.sync.plan.CopyState;
import io.mxcutover.sync.plan.FolderSnapshot;
import io.mxcutover.sync.plan.MessageMeta;
import io.mxcutover.sync.run.SyncSettings;
import io.mxcutover.sync.state.Failure;
import io.mxcutover.sync.state.SyncStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares one mailbox's source and target; see the package documentation. */
public final class Verifier {
    private final SyncStore store;
    private final SyncSettings settings;

    public Verifier(SyncStore store, SyncSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** {@code deep}: also re-hash the source bytes instead of trusting the hash recorded at copy time. */
    public VerifyReport verify(MailboxAccount account, boolean deep) {
        String address = account.address();
        // The target session is opened as before (SELECT); the comparison below only reads it (SourceStore).
        try (ImapSourceStore source = ImapSourceStore.open(settings.source(), account.source(), settings.imap());
                ImapTargetStore target = ImapTargetStore.open(settings.target(), account.target(), settings.imap())) {
            List<FolderInfo> sourceFolders = source.folders();
            List<FolderInfo> targetFolders = target.folders();
            Set<String> targetNames = new HashSet<>();
            targetFolders.forEach(f -> targetNames.add(f.name()));
            Map<String, String> checkpointTargets = new HashMap<>();
            for (FolderInfo f : sourceFolders) {
                store.checkpoint(address, f.name()).ifPresent(cp -> checkpointTargets.put(f.name(), cp.targetFolder()));
            }
            // The planned mapping (journaled by the sync, or decided now the same way), not merely
            // where the state says messages went: a folder copied to the wrong place is missing here.
            FolderPlanner.Planned planned = FolderPlanner.plan(
                    sourceFolders,
                    source.namespace(),
                    targetFolders,
                    target.namespace(),
                    settings.folderRulesFor(address),
                    store.plannedFolders(address),
                    checkpointTargets);
            if (planned.pairs().isEmpty()) {
                return new VerifyReport(
                        address,
                        VerifyReport.Verdict.NOT_READY,
                        "nothing was verified: the legacy"
                                + " server listed " + sourceFolders.size()
                                + " folder(s) and none of them is to be copied"
                                + " (check the login and the folder include/exclude rules)",
                        List.of(),
                        planned.moves());
            }
            List<FolderVerdict> verdicts = new ArrayList<>();
            List<Failure> failures = store.failures(address);
            for (FolderPair pair : planned.pairs()) {
                verdicts.add(folder(
                        address,
                        source,
                        target,
                        pair.source(),
                        pair.target(),
                        targetNames.contains(pair.target()),
                        failures,
                        deep));
            }
            boolean ready = verdicts.stream().allMatch(FolderVerdict::ready);
            return new VerifyReport(
                    address,
                    ready ? VerifyReport.Verdict.READY : VerifyReport.Verdict.NOT_READY,
                    reason(ready, verdicts, planned.moves()),
                    verdicts,
                    planned.moves());
        } catch (ImapException e) {
            return new VerifyReport(address, VerifyReport.Verdict.UNREACHABLE, e.getMessage(), List.of());
        }
    }

    static String reason(boolean ready, List<FolderVerdict> verdicts, List<FolderMove> moves) {
        long deleted =
                verdicts.stream().mapToLong(FolderVerdict::deletedOnTarget).sum();
        long dates = verdicts.stream().mapToLong(v -> v.datesNotKept().size()).sum();
        long normalized =
                verdicts.stream().mapToLong(v -> v.normalized().size()).sum();
        StringBuilder sb = new StringBuilder();
        long found = verdicts.stream().mapToLong(FolderVerdict::identitiesFound).sum();
        long compared =
                verdicts.stream().mapToLong(FolderVerdict::hashesCompared).sum();
        if (ready && compared >= found) {
            sb.append("every source message is on the target");
            sb.append(
                    normalized == 0
                            ? " with identical bytes"
                            : " (" + normalized
                                    + " with line endings the target server canonicalised, the others with identical bytes)");
        } else if (ready) {
            sb.append("every source message is on the target; ")
                    .append(compared)
                    .append(" compared byte for byte")
                    .append(normalized == 0 ? "" : " (" + normalized + " canonicalised by the target server)")
                    .append(", ")
                    .append(found - compared)
                    .append(" found by identity only (Message-ID, size, date,"
                            + " headers; their bytes were not compared: a deep verify compares them)");
        } else {
            sb.append(verdicts.stream().mapToLong(v -> v.missing().size()).sum())
                    .append(" message(s) missing, ")
                    .append(verdicts.stream()
                            .mapToLong(FolderVerdict::hashMismatches)
                            .sum())
                    .append(" content mismatch(es)");
        }
        if (deleted > 0) {
            sb.append("; except ")
                    .append(deleted)
                    .append(" message(s) the user deleted on the new server after"
                            + " their copy (deliberately not copied again): ");
            sb.append(String.join(
                    ", ",
                    verdicts.stream()
                            .filter(v -> v.deletedOnTarget() > 0)
                            .map(v -> "'" + v.sourceFolder() + "' " + v.deletedOnTarget())
                            .toList()));
        }
        if (dates > 0) {
            sb.append("; warning: ")
                    .append(dates)
                    .append(" message(s) whose date the new server did not keep" + " (listed per folder)");
        }
        if (!moves.isEmpty()) {
            sb.append("; ").append(moves.size()).append(" folder(s) renamed or merged: ");
            sb.append(String.join(", ", moves.stream().map(FolderMove::describe).toList()));
        }
        return sb.toString();
    }

    private FolderVerdict folder(
            String address,
            SourceStore source,
            SourceStore target,
            String sourceFolder,
            String targetFolder,
            boolean targetExists,
            List<Failure> failures,
            boolean deep)
            throws ImapException {
        FolderSnapshot src = source.snapshot(sourceFolder);
        FolderSnapshot tgt = targetExists ? target.snapshot(targetFolder) : FolderSnapshot.empty(targetFolder);
        Map<Long, CopyRecord> records = new HashMap<>();
        for (CopyRecord r : store.folderState(address, sourceFolder).records()) {
            if (r.sourceUidValidity() == src.uidValidity()) {
                records.put(r.sourceUid(), r);
            }
        }
        Map<Long, MessageMeta> targetByUid = new HashMap<>();
        for (MessageMeta m : tgt.messages()) {
            targetByUid.put(m.uid(), m);
        }
        Map<Long, String> recordedHash = store.contentHashes(address, sourceFolder, src.uidValidity());
        Map<Long, String> copiedInto = store.copyTargets(address, sourceFolder, src.uidValidity());
        List<Missing> datesNotKept = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        long found = 0;
        long deleted = 0;
        List<MessageMeta> toHashTarget = new ArrayList<>();
        Map<Long, Long> sourceUidByTargetUid = new HashMap<>();
        // First the copies the journal links to a target UID in the planned folder; then the rest is
        // looked up by identity among the target messages no journal row claims (so they are hashed too).
        List<MessageMeta> rest = new ArrayList<>();
        for (MessageMeta m : src.messages()) {
            CopyRecord r = records.get(m.uid());
            boolean planned =
                    !copiedInto.containsKey(m.uid()) || copiedInto.get(m.uid()).equals(targetFolder);
            if (r != null
                    && planned
                    && r.state() == CopyState.DONE
                    && r.targetUidValidity() == tgt.uidValidity()
                    && targetByUid.containsKey(r.targetUid())
                    && !sourceUidByTargetUid.containsKey(r.targetUid())) {
                found++;
                MessageMeta copy = targetByUid.get(r.targetUid());
                toHashTarget.add(copy);
                sourceUidByTargetUid.put(r.targetUid(), m.uid());
                if (copy.identity().internalDate() != m.identity().internalDate()) {
                    datesNotKept.add(new Missing(
                            sourceFolder,
                            m.uid(),
                            m.identity().messageId(),
                            "",
                            m.identity().size(),
                            dateNotKept(
                                    m.identity().internalDate(), copy.identity().internalDate())));
                }
            } else {
                rest.add(m);
            }
        }
        Map<String, java.util.Deque<MessageMeta>> unclaimed = new HashMap<>();
        tgt.messages().stream()
                .filter(t -> !sourceUidByTargetUid.containsKey(t.uid()))
                .forEach(t -> unclaimed
                        .computeIfAbsent(t.identity().key(), k -> new java.util.ArrayDeque<>())
                        .add(t));
        for (MessageMeta m : rest) {
            CopyRecord r = records.get(m.uid());
            String elsewhere = r != null
                            && copiedInto.containsKey(m.uid())
                            && !copiedInto.get(m.uid()).equals(targetFolder)
                    ? copiedInto.get(m.uid())
                    : null;
            java.util.Deque<MessageMeta> same = unclaimed.get(m.identity().key());
            if (same != null && !same.isEmpty()) {
                found++;
                MessageMeta copy = same.poll();
                toHashTarget.add(copy);
                sourceUidByTargetUid.put(copy.uid(), m.uid());
            } else if (elsewhere != null) {
                missing.add(new Missing(
                        sourceFolder,
                        m.uid(),
                        m.identity().messageId(),
                        "",
                        m.identity().size(),
                        "copied into '" + elsewhere + "', but the folder plan puts '" + sourceFolder + "' into '"
                                + targetFolder + "'; move it there on the new server"));
            } else if (r != null && r.state() == CopyState.DONE) {
                deleted++;
            } else {
                String why = failures.stream()
                        .filter(f -> f.sourceFolder().equals(sourceFolder) && f.sourceUid() == m.uid())
                        .map(Failure::reason)
                        .findFirst()
                        .orElse(
                                r == null
                                        ? "not copied yet (new on the source since the last pass?)"
                                        : "copy started but not confirmed (INTENT); the next pass looks it up and copies it");
                missing.add(new Missing(
                        sourceFolder,
                        m.uid(),
                        m.identity().messageId(),
                        "",
                        m.identity().size(),
                        why));
            }
        }
        Map<Long, String> targetHashes = target.contentHashes(toHashTarget);
        Map<Long, String> sourceHashes = deep
                ? source.contentHashes(src.messages().stream()
                        .filter(m -> sourceUidByTargetUid.containsValue(m.uid()))
                        .toList())
                : recordedHash;
        long compared = 0;
        long mismatches = 0;
        List<Missing> normalized = new ArrayList<>();
        List<MessageMeta> differing = new ArrayList<>();
        for (Map.Entry<Long, String> e : targetHashes.entrySet()) {
            long sourceUid = sourceUidByTargetUid.get(e.getKey());
            String expected = sourceHashes.get(sourceUid);
            if (expected == null) {
                continue; // found by identity, no hash recorded at copy time, and not a deep check
            }
            compared++;
            if (!expected.equals(e.getValue())) {
                src.messages().stream()
                        .filter(x -> x.uid() == sourceUid)
                        .findFirst()
                        .ifPresent(differing::add);
            }
        }
        // Explain each mismatch: a non-canonical source message (bare CR/LF, NUL) that the target
        // server canonicalised is a copy, just not a byte-identical one; anything else is an error.
        source.select(sourceFolder);
        Map<Long, Boolean> canonical = new HashMap<>();
        source.fetchBodies(differing, raw -> {
            try (raw) {
                canonical.put(raw.meta().uid(), ContentShape.isCanonical(raw));
            }
        });
        for (MessageMeta m : differing) {
            if (Boolean.FALSE.equals(canonical.get(m.uid()))) {
                normalized.add(new Missing(
                        sourceFolder,
                        m.uid(),
                        m.identity().messageId(),
                        "",
                        m.identity().size(),
                        "source message has bare CR/LF or NUL bytes; the target server canonicalised them on APPEND"));
            } else {
                mismatches++;
                missing.add(new Missing(
                        sourceFolder,
                        m.uid(),
                        m.identity().messageId(),
                        "",
                        m.identity().size(),
                        "target copy differs from the source bytes (SHA-256 mismatch)"));
            }
        }
        return new FolderVerdict(
                sourceFolder,
                targetFolder,
                src.messages().size(),
                tgt.messages().size(),
                found,
                deleted,
                compared,
                mismatches,
                missing,
                normalized,
                datesNotKept);
    }

    private static final java.time.format.DateTimeFormatter SHOWN = java.time.format.DateTimeFormatter.ofPattern(
                    "dd-MMM-yyyy HH:mm:ss 'UTC'", java.util.Locale.ROOT)
            .withZone(java.time.ZoneOffset.UTC);

    static String dateNotKept(long sourceEpochSeconds, long targetEpochSeconds) {
        return "INTERNALDATE " + SHOWN.format(java.time.Instant.ofEpochSecond(sourceEpochSeconds)) + " on legacy, "
                + SHOWN.format(java.time.Instant.ofEpochSecond(targetEpochSeconds)) + " on new: the new server did"
                + " not keep the date it was given on APPEND (Dovecot stores the time of the APPEND instead of a"
                + " date in the future); the message itself is there, clients sort it by the new date";
    }
}
