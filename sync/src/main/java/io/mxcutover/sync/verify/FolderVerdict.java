package io.mxcutover.sync.verify;

import java.util.List;

/**
 * One folder compared. {@code normalized}: copies whose bytes differ only because the source
 * message is not canonical (bare CR, bare LF or NUL) and the target server canonicalises on
 * APPEND (Dovecot turns a bare CR into a line break); they are on the target, listed, not missing.
 * Message counts on both sides, how many source identities were found on
 * the target, how many content hashes were compared and matched, and what is missing.
 * {@code deletedOnTarget}: copied, then deleted by the user on the target (not missing, not recopied).
 * {@code datesNotKept}: on the target, but with another INTERNALDATE than on the source (the target
 * server did not keep the date it was given on APPEND); a warning, not a mismatch.
 */
public record FolderVerdict(
        String sourceFolder,
        String targetFolder,
        long sourceMessages,
        long targetMessages,
        long identitiesFound,
        long deletedOnTarget,
        long hashesCompared,
        long hashMismatches,
        List<Missing> missing,
        List<Missing> normalized,
        List<Missing> datesNotKept) {
    public FolderVerdict {
        missing = List.copyOf(missing);
        normalized = List.copyOf(normalized);
        datesNotKept = List.copyOf(datesNotKept);
    }

    public FolderVerdict(
            String sourceFolder,
            String targetFolder,
            long sourceMessages,
            long targetMessages,
            long identitiesFound,
            long deletedOnTarget,
            long hashesCompared,
            long hashMismatches,
            List<Missing> missing,
            List<Missing> normalized) {
        this(
                sourceFolder,
                targetFolder,
                sourceMessages,
                targetMessages,
                identitiesFound,
                deletedOnTarget,
                hashesCompared,
                hashMismatches,
                missing,
                normalized,
                List.of());
    }

    public boolean ready() {
        return missing.isEmpty() && hashMismatches == 0;
    }
}
