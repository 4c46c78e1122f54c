package io.mxcutover.sync.folder;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the admin said about folders: include and exclude patterns and explicit renames, all
 * written on the <em>canonical path</em> (namespace prefix removed, levels joined by {@code /},
 * e.g. {@code Archive/2019}). In patterns {@code *} matches anything and {@code %} anything but
 * {@code /} (the LIST wildcards). An empty include list includes everything; exclude wins.
 */
public record FolderRules(List<String> include, List<String> exclude, Map<String, String> rename) {
    public static final FolderRules ALL = new FolderRules(List.of(), List.of(), Map.of());

    public FolderRules {
        include = List.copyOf(Objects.requireNonNull(include, "include"));
        exclude = List.copyOf(Objects.requireNonNull(exclude, "exclude"));
        rename = Map.copyOf(Objects.requireNonNull(rename, "rename"));
    }

    public boolean accepts(String canonicalPath) {
        if (exclude.stream().anyMatch(p -> matches(p, canonicalPath))) {
            return false;
        }
        return include.isEmpty() || include.stream().anyMatch(p -> matches(p, canonicalPath));
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
}
