package io.mxcutover.sync.inventory;

import io.mxcutover.sync.folder.FolderRules;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.run.SyncSettings;
import java.util.Objects;
import java.util.Optional;

/**
 * What an inventory reads: the legacy server, the new server when it is to be checked (folders it refuses or
 * renames, its APPENDLIMIT, the sample copy), the folder rules and IMAP settings of the copy, the parallelism
 * the copy will run with (also the inventory's own), and whether a sample copy may be made when this
 * appliance has no measured rate.
 */
public record InventorySettings(
        ImapEndpoint source,
        Optional<ImapEndpoint> target,
        FolderRules folderRules,
        ImapSettings imap,
        int parallelism,
        boolean sample) {
    public InventorySettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(folderRules, "folderRules");
        Objects.requireNonNull(imap, "imap");
        if (parallelism < 1 || parallelism > 256) {
            throw new IllegalArgumentException("parallelism must be 1..256, got " + parallelism);
        }
    }

    /** The inventory of what this sync would copy, with its servers, rules and parallelism. */
    public static InventorySettings of(SyncSettings s) {
        return new InventorySettings(
                s.source(), Optional.of(s.target()), s.folderRules(), s.imap(), s.parallelMailboxes(), true);
    }

    public InventorySettings withSample(boolean on) {
        return new InventorySettings(source, target, folderRules, imap, parallelism, on);
    }
}
