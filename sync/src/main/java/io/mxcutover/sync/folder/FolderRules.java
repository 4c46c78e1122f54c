package io.mxcutover.sync.folder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the admin said about folders. Two vocabularies, both optional:
 *
 * <ul>
 *   <li>The plan's and {@code ./mxcutover sync}'s, on the <em>canonical path</em> (namespace prefix removed,
 *       levels joined by {@code /}, e.g. {@code Archive/2019}): {@code include}/{@code exclude} patterns where
 *       {@code *} matches anything and {@code %} anything but {@code /} (the LIST wildcards), matched without
 *       regard to case; and {@code rename}, canonical path to canonical path.</li>
 *   <li>imapsync's, on the folder names as each server writes them: {@code folders} (exact source names,
 *       {@code --folder}), {@code includeRegex}/{@code excludeRegex} (Java regular expressions searched in the
 *       source name, {@code --include}/{@code --exclude}), {@code subfolder} (the whole tree goes under this
 *       canonical path on the target, {@code --subfolder2}) and {@code rewrites} (applied in order to the
 *       target name, {@code --regextrans2}).</li>
 * </ul>
 *
 * A folder is copied when it is in {@code folders} (if any are listed), matches an include of each kind that
 * has any, and matches no exclude: exclude wins. {@code specialUse} false turns off the mapping of special-use
 * folders to the target's folder of the same role (imapsync without {@code --automap}). Every pattern is checked
 * here: an invalid one is an {@link IllegalArgumentException} that names it.
 */
public record FolderRules(
        List<String> include,
        List<String> exclude,
        Map<String, String> rename,
        List<String> folders,
        List<String> includeRegex,
        List<String> excludeRegex,
        Optional<String> subfolder,
        List<FolderRewrite> rewrites,
        boolean specialUse) {
    public static final FolderRules ALL = new FolderRules(List.of(), List.of(), Map.of());

    public FolderRules {
        include = List.copyOf(Objects.requireNonNull(include, "include"));
        exclude = List.copyOf(Objects.requireNonNull(exclude, "exclude"));
        rename = Map.copyOf(Objects.requireNonNull(rename, "rename"));
        folders = List.copyOf(Objects.requireNonNull(folders, "folders"));
        includeRegex = List.copyOf(Objects.requireNonNull(includeRegex, "includeRegex"));
        excludeRegex = List.copyOf(Objects.requireNonNull(excludeRegex, "excludeRegex"));
        Objects.requireNonNull(subfolder, "subfolder");
        rewrites = List.copyOf(Objects.requireNonNull(rewrites, "rewrites"));
        include.forEach(p -> checkWildcard(p, "include"));
        exclude.forEach(p -> checkWildcard(p, "exclude"));
        rename.forEach((from, to) -> {
            checkPath(from, "rename '" + from + "'");
            checkPath(to, "rename '" + from + "' -> '" + to + "'");
        });
        folders.forEach(f -> {
            if (f.isBlank()) {
                throw new IllegalArgumentException("an empty folder name is listed");
            }
        });
        includeRegex.forEach(FolderRules::regex);
        excludeRegex.forEach(FolderRules::regex);
        subfolder = subfolder.map(s -> {
            checkPath(s, "subfolder '" + s + "'");
            return s;
        });
    }

    /** The plan's rules: canonical-path patterns and renames, everything else as by default. */
    public FolderRules(List<String> include, List<String> exclude, Map<String, String> rename) {
        this(include, exclude, rename, List.of(), List.of(), List.of(), Optional.empty(), List.of(), true);
    }

    /** Whether a source folder (its name as the source lists it, in that namespace) is copied. */
    public boolean accepts(String sourceName, Namespace sourceNs) {
        if (!folders.isEmpty() && folders.stream().noneMatch(f -> sameName(f, sourceName))) {
            return false;
        }
        if (excludeRegex.stream().anyMatch(r -> regex(r).matcher(sourceName).find())) {
            return false;
        }
        if (!includeRegex.isEmpty()
                && includeRegex.stream()
                        .noneMatch(r -> regex(r).matcher(sourceName).find())) {
            return false;
        }
        return accepts(String.join("/", FolderMapping.canonicalLevels(sourceName, sourceNs)));
    }

    /** Whether a canonical path passes the include/exclude wildcards (the plan's vocabulary only). */
    public boolean accepts(String canonicalPath) {
        if (exclude.stream().anyMatch(p -> matches(p, canonicalPath))) {
            return false;
        }
        return include.isEmpty() || include.stream().anyMatch(p -> matches(p, canonicalPath));
    }

    /** The target name after every rewrite, in order. */
    public String rewrite(String targetName) {
        String name = targetName;
        for (FolderRewrite r : rewrites) {
            name = r.apply(name);
        }
        return name;
    }

    /**
     * These rules (a domain's) with a mailbox's on top: excludes add up, the mailbox's includes replace the
     * domain's when it has any, its renames win over the domain's for the same folder.
     */
    public FolderRules with(FolderRules mailbox) {
        List<String> ex = new ArrayList<>(exclude);
        mailbox.exclude.stream().filter(p -> !ex.contains(p)).forEach(ex::add);
        Map<String, String> renames = new LinkedHashMap<>(rename);
        renames.putAll(mailbox.rename);
        List<String> exRe = new ArrayList<>(excludeRegex);
        exRe.addAll(mailbox.excludeRegex);
        List<FolderRewrite> rw = new ArrayList<>(rewrites);
        rw.addAll(mailbox.rewrites);
        return new FolderRules(
                mailbox.include.isEmpty() ? include : mailbox.include,
                ex,
                renames,
                mailbox.folders.isEmpty() ? folders : mailbox.folders,
                mailbox.includeRegex.isEmpty() ? includeRegex : mailbox.includeRegex,
                exRe,
                mailbox.subfolder.isPresent() ? mailbox.subfolder : subfolder,
                rw,
                specialUse && mailbox.specialUse);
    }

    static boolean matches(String pattern, String path) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '%' -> re.append("[^/]*");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                .matcher(path)
                .matches();
    }

    private static boolean sameName(String listed, String sourceName) {
        return listed.equals(sourceName) || (listed.equalsIgnoreCase("INBOX") && sourceName.equalsIgnoreCase("INBOX"));
    }

    private static Pattern regex(String r) {
        try {
            return Pattern.compile(r);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + r + "' is not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    private static void checkWildcard(String pattern, String what) {
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("an empty " + what + " pattern: write a folder path such as Junk or"
                    + " Archive/* ('*' any text, '%' any text within one level)");
        }
        if (pattern.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " pattern '" + pattern + "' has a control character");
        }
        if (pattern.startsWith("/") || pattern.endsWith("/") || pattern.contains("//")) {
            throw new IllegalArgumentException(what + " pattern '" + pattern + "': levels are joined by one '/',"
                    + " without a leading or trailing '/' (e.g. Archive/2019, Archive/*)");
        }
    }

    private static void checkPath(String path, String what) {
        if (path.isBlank()) {
            throw new IllegalArgumentException(what + ": an empty folder path");
        }
        if (path.indexOf('*') >= 0 || path.indexOf('%') >= 0) {
            throw new IllegalArgumentException(
                    what + ": a folder path, not a pattern ('*' and '%' are not allowed here)");
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + ": a control character in the folder path");
        }
        if (path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException(
                    what + ": levels are joined by one '/', without a leading or trailing '/' (e.g. Archive/Old)");
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (!folders.isEmpty()) parts.add("folders " + folders);
        if (!include.isEmpty()) parts.add("include " + include);
        if (!exclude.isEmpty()) parts.add("exclude " + exclude);
        if (!includeRegex.isEmpty()) parts.add("include regex " + includeRegex);
        if (!excludeRegex.isEmpty()) parts.add("exclude regex " + excludeRegex);
        if (!rename.isEmpty()) parts.add("rename " + new java.util.TreeMap<>(rename));
        subfolder.ifPresent(s -> parts.add("under " + s));
        if (!rewrites.isEmpty())
            parts.add("rewrite " + rewrites.stream().map(FolderRewrite::perl).toList());
        if (!specialUse) parts.add("special-use folders keep their names");
        return parts.isEmpty() ? "all folders" : String.join("; ", parts);
    }
}
