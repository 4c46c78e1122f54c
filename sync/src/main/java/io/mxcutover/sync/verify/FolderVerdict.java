package io.mxcutover.sync.verify;

import java.util.List;

/**
 * One folder compared: message counts on both sides, how many source identities were found on
 * the target, how many content hashes were compared and matched, and what is missing.
 * {@code deletedOnTarget}: copied, then deleted by the user on the target (not missing, not recopied).
 */
public record FolderVerdict(String sourceFolder, String targetFolder, long sourceMessages, long targetMessages,
                            long identitiesFound, long deletedOnTarget, long hashesCompared, long hashMismatches,
                            List<Missing> missing) {
    public FolderVerdict {
        missing = List.copyOf(missing);
    }

    public boolean ready() {
        return missing.isEmpty() && hashMismatches == 0;
    }
}
