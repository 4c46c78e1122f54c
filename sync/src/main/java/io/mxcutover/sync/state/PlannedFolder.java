package io.mxcutover.sync.state;

import io.mxcutover.sync.folder.FolderMove;
import java.util.Objects;

/**
 * One line of a mailbox's folder plan (table {@code sync_folder_plan}): the target folder a
 * source folder goes to, decided once and journaled before the first CREATE. {@code createdBySync}:
 * the target folder did not exist when the plan was made, so a folder of that name on the target is
 * the sync's own (left by an interrupted pass), never the user's. {@code created}: the target folder
 * is known to exist (CREATEd, or there already).
 */
public record PlannedFolder(
        String sourceFolder, String targetFolder, boolean createdBySync, boolean created, FolderMove move) {
    public PlannedFolder {
        Objects.requireNonNull(sourceFolder, "sourceFolder");
        Objects.requireNonNull(targetFolder, "targetFolder");
        Objects.requireNonNull(move, "move");
    }
}
