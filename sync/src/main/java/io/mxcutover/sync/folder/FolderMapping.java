package io.mxcutover.sync.folder;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, for every source folder, the target folder it is copied into. A pure function of
 * the two folder lists, their namespaces and the admin's rules; no server is contacted.
 *
 * <ol>
 *   <li>The source name loses its namespace prefix and is split on the source separator into
 *       levels ({@code INBOX.Archive.2019} with prefix {@code INBOX.} is {@code Archive/2019}).
 *       {@code INBOX} stays {@code INBOX} on every server.</li>
 *   <li>Include/exclude patterns and explicit renames apply to that canonical path.</li>
 *   <li>A source folder with a role (RFC 6154 attribute, or failing that a well-known name in
 *       several languages at the top level) goes to the target folder that has the same role
 *       attribute, else to a target top-level folder with a well-known name for that role,
 *       else it keeps its own name. Attribute-announced roles win over name guesses; a role is
 *       given to one source folder only.</li>
 *   <li>Levels are joined with the target separator behind the target prefix. A level that
 *       contains the target separator has it replaced by {@code _} (so {@code a/b} on a
 *       {@code .} server does not become two levels on a {@code /} server).</li>
 *   <li>Two source folders never map to one target folder: the later one (in list order)
 *       gets a {@code -2}, {@code -3}, ... suffix.</li>
 * </ol>
 * Folders that cannot hold messages ({@code \Noselect}) are skipped; their children are mapped
 * and the target creates the parents.
 *
 * <p>A mapping decided once is kept: {@code pinned} (source folder to target folder, from the
 * folder plan journaled by an earlier pass) wins over every rule above, and its target names are
 * taken before any other folder is named, so a folder created by an interrupted pass never pushes
 * a later folder to a {@code -2} name. {@link #describe} says for one pair whether it is a
 * rename or a merge, and why.
 */
public final class FolderMapping {
    private static final char SUBSTITUTE = '_';

    private FolderMapping() {}

    public static List<FolderPair> map(
            List<FolderInfo> source,
            Namespace sourceNs,
            List<FolderInfo> target,
            Namespace targetNs,
            FolderRules rules) {
        return map(source, sourceNs, target, targetNs, rules, Map.of());
    }

    /** As {@link #map(List, Namespace, List, Namespace, FolderRules)}, with earlier decisions kept. */
    public static List<FolderPair> map(
            List<FolderInfo> source,
            Namespace sourceNs,
            List<FolderInfo> target,
            Namespace targetNs,
            FolderRules rules,
            Map<String, String> pinned) {
        Map<SpecialUse, String> targetByRole = targetRoles(target, targetNs);
        Set<String> targetNames = new HashSet<>();
        target.forEach(f -> targetNames.add(f.name()));
        Map<SpecialUse, FolderInfo> roleOwner = roleOwners(source, sourceNs);

        List<FolderPair> pairs = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (FolderInfo folder : source) {
            if (pinned.containsKey(folder.name())) {
                taken.add(pinned.get(folder.name()).toLowerCase(Locale.ROOT));
            }
        }
        for (FolderInfo folder : source) {
            if (!folder.selectable()) {
                continue;
            }
            List<String> levels = canonicalLevels(folder.name(), sourceNs);
            String canonical = String.join("/", levels);
            if (!rules.accepts(folder.name(), sourceNs)) {
                continue;
            }
            Optional<SpecialUse> role = roleOwner.entrySet().stream()
                    .filter(e -> e.getValue().equals(folder))
                    .map(Map.Entry::getKey)
                    .findFirst();
            if (pinned.containsKey(folder.name())) {
                String kept = pinned.get(folder.name());
                pairs.add(new FolderPair(folder.name(), kept, role, targetNames.contains(kept), folder.subscribed()));
                continue;
            }
            String targetName;
            if (rules.rename().containsKey(canonical)) {
                targetName = targetName(List.of(rules.rename().get(canonical).split("/")), targetNs);
            } else if (mapsRoles(rules) && role.isPresent() && targetByRole.containsKey(role.get())) {
                targetName = rules.rewrite(targetByRole.get(role.get()));
            } else {
                targetName = ruledName(levels, targetNs, rules);
            }
            String unique = targetName;
            for (int n = 2; taken.contains(unique.toLowerCase(Locale.ROOT)) && n < 1000; n++) {
                unique = targetName + "-" + n;
            }
            taken.add(unique.toLowerCase(Locale.ROOT));
            pairs.add(new FolderPair(folder.name(), unique, role, targetNames.contains(unique), folder.subscribed()));
        }
        return List.copyOf(pairs);
    }

    /**
     * Whether a pair keeps the folder's name (only the namespace translated), renames it or merges it
     * into a folder the target had before the sync ({@code targetExisted}), and which rule decided.
     */
    public static FolderMove describe(
            FolderPair pair, Namespace sourceNs, Namespace targetNs, FolderRules rules, boolean targetExisted) {
        List<String> levels = canonicalLevels(pair.source(), sourceNs);
        String plain = targetName(levels, targetNs);
        String natural = ruledName(levels, targetNs, rules);
        String canonical = String.join("/", levels);
        String reason;
        if (rules.rename().containsKey(canonical)) {
            reason = "folder rename rule '" + canonical + "' -> '"
                    + rules.rename().get(canonical) + "'";
        } else if (pair.target().equals(natural) && !natural.equals(plain)) {
            reason = "folder rules: " + rules;
        } else if (pair.target().length() > natural.length() + 1
                && pair.target().regionMatches(true, 0, natural + "-", 0, natural.length() + 1)
                && pair.target().substring(natural.length() + 1).chars().allMatch(Character::isDigit)) {
            reason = "another source folder already goes to '" + natural + "'";
        } else if (!pair.target().equals(natural) && pair.role().isPresent()) {
            reason = "special use \\" + pair.role().get().defaultName() + ": the new server's folder for that role";
        } else if (!pair.target().equals(natural)) {
            reason = "mapping kept from an earlier pass";
        } else if (levels.stream().anyMatch(l -> l.indexOf(targetNs.separator()) >= 0)) {
            reason = "'" + targetNs.separator() + "' is the new server's hierarchy separator: replaced by '"
                    + SUBSTITUTE + "'";
        } else {
            return new FolderMove(pair.source(), pair.target(), FolderMove.Kind.SAME, "");
        }
        return new FolderMove(
                pair.source(), pair.target(), targetExisted ? FolderMove.Kind.MERGED : FolderMove.Kind.RENAMED, reason);
    }

    /**
     * The target name the admin's rules give a folder that is neither renamed nor mapped by its role: under the
     * subfolder if there is one ({@code INBOX} too, as {@code <subfolder>/INBOX}), then every rewrite in order.
     */
    static String ruledName(List<String> levels, Namespace targetNs, FolderRules rules) {
        List<String> placed = levels;
        if (rules.subfolder().isPresent()) {
            placed = new ArrayList<>(List.of(rules.subfolder().get().split("/")));
            placed.addAll(levels);
        }
        return rules.rewrite(targetName(placed, targetNs));
    }

    /** With a subfolder the tree is kept as it is under it: no folder is moved to the target's role folder. */
    private static boolean mapsRoles(FolderRules rules) {
        return rules.specialUse() && rules.subfolder().isEmpty();
    }

    /** {@code INBOX.Archive.2019} with prefix {@code INBOX.} and separator {@code .} is [Archive, 2019]. */
    public static List<String> canonicalLevels(String name, Namespace ns) {
        if (name.equalsIgnoreCase("INBOX")) {
            return List.of("INBOX");
        }
        String rest = name;
        if (!ns.prefix().isEmpty()
                && name.regionMatches(true, 0, ns.prefix(), 0, ns.prefix().length())) {
            rest = name.substring(ns.prefix().length());
        }
        List<String> levels = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= rest.length(); i++) {
            if (i == rest.length() || rest.charAt(i) == ns.separator()) {
                levels.add(rest.substring(start, i));
                start = i + 1;
            }
        }
        levels.removeIf(String::isEmpty);
        return levels.isEmpty() ? List.of(rest) : List.copyOf(levels);
    }

    public static String targetName(List<String> levels, Namespace ns) {
        if (levels.size() == 1 && levels.get(0).equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        StringBuilder sb = new StringBuilder(ns.prefix());
        for (int i = 0; i < levels.size(); i++) {
            if (i > 0) {
                sb.append(ns.separator());
            }
            sb.append(levels.get(i).replace(ns.separator(), SUBSTITUTE));
        }
        return sb.toString();
    }

    private static Map<SpecialUse, String> targetRoles(List<FolderInfo> target, Namespace ns) {
        Map<SpecialUse, String> byAttribute = new EnumMap<>(SpecialUse.class);
        Map<SpecialUse, String> byName = new EnumMap<>(SpecialUse.class);
        for (FolderInfo f : target) {
            if (!f.selectable()) {
                continue;
            }
            SpecialUse.ofAttributes(f).ifPresent(u -> byAttribute.putIfAbsent(u, f.name()));
            List<String> levels = canonicalLevels(f.name(), ns);
            if (levels.size() == 1) {
                SpecialUse.ofName(levels.get(0)).ifPresent(u -> byName.putIfAbsent(u, f.name()));
            }
        }
        byName.forEach(byAttribute::putIfAbsent);
        return byAttribute;
    }

    private static Map<SpecialUse, FolderInfo> roleOwners(List<FolderInfo> source, Namespace ns) {
        Map<SpecialUse, FolderInfo> owners = new EnumMap<>(SpecialUse.class);
        for (FolderInfo f : source) {
            if (f.selectable()) {
                SpecialUse.ofAttributes(f).ifPresent(u -> owners.putIfAbsent(u, f));
            }
        }
        for (FolderInfo f : source) {
            List<String> levels = canonicalLevels(f.name(), ns);
            if (f.selectable()
                    && levels.size() == 1
                    && SpecialUse.ofAttributes(f).isEmpty()) {
                SpecialUse.ofName(levels.get(0)).ifPresent(u -> owners.putIfAbsent(u, f));
            }
        }
        return owners;
    }
}
