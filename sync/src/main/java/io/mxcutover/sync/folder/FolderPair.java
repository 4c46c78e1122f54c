package io.mxcutover.sync.folder;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of the folder mapping: a source folder, the target folder it is copied into,
 * the role that decided the name (if any), whether the target folder exists already and
 * whether the user is subscribed to the source folder.
 */
public record FolderPair(
        String source, String target, Optional<SpecialUse> role, boolean targetExists, boolean subscribed) {
    public FolderPair {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(role, "role");
    }
}
