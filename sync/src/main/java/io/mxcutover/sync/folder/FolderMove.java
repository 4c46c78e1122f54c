package io.mxcutover.sync.folder;

import java.util.Objects;

/**
 * How a source folder reaches its target folder, in words an admin can check: {@code SAME}
 * when only the namespace changed ({@code INBOX.Archive.2019} becomes {@code Archive/2019}),
 * {@code RENAMED} when the target folder has another name and did not exist before the sync,
 * {@code MERGED} when the messages go into a folder that was already on the target (legacy
 * {@code Entwürfe} into the new server's {@code Drafts}). {@code reason} says which rule decided.
 */
public record FolderMove(String sourceFolder, String targetFolder, Kind kind, String reason) {
    public enum Kind {
        SAME,
        RENAMED,
        MERGED
    }

    public FolderMove {
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        Objects.requireNonNull(targetFolder, "targetFolder");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    /** One line for the CLI and the logs: {@code 'INBOX.Entwürfe' merged into 'Drafts' (special use \Drafts)}. */
    public String describe() {
        return "'" + sourceFolder + "' "
                + (kind == Kind.MERGED ? "merged into" : kind == Kind.RENAMED ? "renamed to" : "copied to") + " '"
                + targetFolder + "'" + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
