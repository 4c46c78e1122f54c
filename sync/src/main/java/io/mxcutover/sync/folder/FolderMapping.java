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
 */
public final class FolderMapping {
    private static final char SUBSTITUTE = '_';

    private FolderMapping() {
    }

    public static List<FolderPair> map(List<FolderInfo> source, Namespace sourceNs, List<FolderInfo> target,
                                       Namespace targetNs, FolderRules rules) {
        Map<SpecialUse, String> targetByRole = targetRoles(target, targetNs);
        Set<String> targetNames = new HashSet<>();
        target.forEach(f -> targetNames.add(f.name()));
        Map<SpecialUse, FolderInfo> roleOwner = roleOwners(source, sourceNs);

        List<FolderPair> pairs = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (FolderInfo folder : source) {
            if (!folder.selectable()) {
                continue;
            }
            List<String> levels = canonicalLevels(folder.name(), sourceNs);
            String canonical = String.join("/", levels);
            if (!rules.accepts(canonical)) {
                continue;
            }
            Optional<SpecialUse> role = roleOwner.entrySet().stream()
                    .filter(e -> e.getValue() == folder).map(Map.Entry::getKey).findFirst();
            String targetName;
            if (rules.rename().containsKey(canonical)) {
                targetName = targetName(List.of(rules.rename().get(canonical).split("/")), targetNs);
            } else if (role.isPresent() && targetByRole.containsKey(role.get())) {
                targetName = targetByRole.get(role.get());
            } else {
                targetName = targetName(levels, targetNs);
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

    /** {@code INBOX.Archive.2019} with prefix {@code INBOX.} and separator {@code .} is [Archive, 2019]. */
    public static List<String> canonicalLevels(String name, Namespace ns) {
        if (name.equalsIgnoreCase("INBOX")) {
            return List.of("INBOX");
        }
        String rest = name;
        if (!ns.prefix().isEmpty() && name.regionMatches(true, 0, ns.prefix(), 0, ns.prefix().length())) {
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
            if (f.selectable() && levels.size() == 1 && SpecialUse.ofAttributes(f).isEmpty()) {
                SpecialUse.ofName(levels.get(0)).ifPresent(u -> owners.putIfAbsent(u, f));
            }
        }
        return owners;
    }
}
