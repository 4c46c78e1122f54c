package io.mxcutover.sync.engine;

import io.mxcutover.sync.folder.FolderInfo;
import io.mxcutover.sync.folder.FolderMapping;
import io.mxcutover.sync.folder.FolderMove;
import io.mxcutover.sync.folder.FolderPair;
import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.folder.Namespace;
import io.mxcutover.sync.state.PlannedFolder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The folder plan of one mailbox: which target folder each source folder goes to, decided once
 * from the source's folders and the folders the <em>user</em> has on the target, and then kept.
 * A pure function of the two folder lists, the rules and what was journaled before.
 *
 * <p>Why it is journaled (issue 10): the mapping gives a role folder to the target folder of that
 * role, found by attribute or by name. A target folder the sync itself created in an interrupted
 * pass (say {@code Sent} for a source {@code Sent} without a role) would otherwise be found by name
 * on the next pass, take another source folder's role, and push the source {@code Sent} to
 * {@code Sent-2}. So: every line of the plan is journaled before the first CREATE; a journaled line
 * is never decided again; and a target folder that a journaled line created ({@code createdBySync})
 * is the sync's, not one of the user's, when the lines of folders that are new on the source are
 * decided. The checkpoint's target folder (stores from before the plan was journaled) counts as a
 * journaled line. A journaled line whose target folder was never created and is not on the target
 * (its CREATE was refused, or the pass never got there) left nothing behind and is decided again.
 */
public final class FolderPlanner {
    /** The pairs to work on, the plan lines not journaled yet, and every rename or merge of the plan. */
    public record Planned(List<FolderPair> pairs, List<PlannedFolder> newLines, List<FolderMove> moves) {}

    private FolderPlanner() {}

    public static Planned plan(
            List<FolderInfo> source,
            Namespace sourceNs,
            List<FolderInfo> target,
            Namespace targetNs,
            FolderRules rules,
            List<PlannedFolder> journal,
            Map<String, String> checkpointTargets) {
        Set<String> present = new HashSet<>();
        target.forEach(f -> present.add(f.name()));
        Set<String> ours = new HashSet<>();
        Map<String, PlannedFolder> journaled = new HashMap<>();
        for (PlannedFolder p : journal) {
            if (p.createdBySync()) {
                ours.add(p.targetFolder().toLowerCase(Locale.ROOT));
            }
            // A line whose folder was never created (CREATE refused, or not reached) left nothing on the
            // target: it is decided again, so a rename rule the admin adds for a refused name takes effect.
            if (p.created() || present.contains(p.targetFolder())) {
                journaled.put(p.sourceFolder(), p);
            }
        }
        List<FolderInfo> users = target.stream()
                .filter(f -> !ours.contains(f.name().toLowerCase(Locale.ROOT)))
                .toList();
        Set<String> usersNames = new HashSet<>();
        users.forEach(f -> usersNames.add(f.name()));
        Map<String, String> pinned = new HashMap<>(checkpointTargets);
        journaled.forEach((s, p) -> pinned.put(s, p.targetFolder()));

        List<FolderPair> pairs = FolderMapping.map(source, sourceNs, users, targetNs, rules, pinned);
        List<PlannedFolder> fresh = new ArrayList<>();
        List<FolderMove> moves = new ArrayList<>();
        for (FolderPair pair : pairs) {
            PlannedFolder line = journaled.get(pair.source());
            if (line == null) {
                FolderMove move =
                        FolderMapping.describe(pair, sourceNs, targetNs, rules, usersNames.contains(pair.target()));
                boolean there = present.contains(pair.target());
                line = new PlannedFolder(pair.source(), pair.target(), !there, there, move);
                fresh.add(line);
            }
            if (line.move().kind() != FolderMove.Kind.SAME) {
                moves.add(line.move());
            }
        }
        return new Planned(pairs, fresh, moves);
    }
}
