package io.mxcutover.sync.plan;

import java.util.Objects;
import java.util.Set;

/**
 * One thing to do for a folder. Only the run package carries steps out; the plan just lists them.
 */
public sealed interface Step {
    /** Copy the source message to the target (fetch, journal intent, APPEND, record done). */
    record Copy(MessageMeta source) implements Step {
        public Copy {
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * The target already holds this message (an unfinished intent whose APPEND did land, or a
     * copy made before the state existed): record it as done with that target UID, copy nothing.
     */
    record Adopt(MessageMeta source, long targetUid, boolean hadIntent) implements Step {}

    /**
     * The source folder's UIDVALIDITY changed and this message, found again by identity, was
     * copied under the old UIDVALIDITY: move the record to the new UID, copy nothing.
     */
    record Rebind(CopyRecord old, MessageMeta source) implements Step {}

    /**
     * Flags or keywords changed on the source since the last copy: add and remove on the target
     * exactly the source's changes (flags the user changed on the target stay as the user left them).
     */
    record SetFlags(long sourceUid, long targetUid, Set<String> add, Set<String> remove, Set<String> nowSynced)
            implements Step {
        public SetFlags {
            add = Set.copyOf(add);
            remove = Set.copyOf(remove);
            nowSynced = Set.copyOf(nowSynced);
        }
    }
}
