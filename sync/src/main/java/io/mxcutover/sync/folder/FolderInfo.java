package io.mxcutover.sync.folder;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A folder as LIST reports it: the full name (decoded to Unicode; modified UTF-7 is the wire
 * format, handled by the IMAP edge), the hierarchy separator, the attributes (lower-cased,
 * e.g. {@code \sent}, {@code \noselect}) and whether the user is subscribed to it.
 */
public record FolderInfo(String name, char separator, Set<String> attributes, boolean subscribed) {
    public FolderInfo {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("folder name is empty");
        }
        attributes = attributes == null
                ? Set.of()
                : attributes.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public static FolderInfo of(String name, char separator, String... attributes) {
        return new FolderInfo(name, separator, Set.of(attributes), true);
    }

    public boolean selectable() {
        return !attributes.contains("\\noselect") && !attributes.contains("\\nonexistent");
    }
}
