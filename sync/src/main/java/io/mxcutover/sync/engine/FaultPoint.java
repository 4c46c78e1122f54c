package io.mxcutover.sync.engine;

/**
 * Places in a copy where a crash is interesting, in journal order. Crash tests stop the sync
 * at the n-th time one of these is reached and then run again.
 */
public enum FaultPoint {
    /** The mailbox's folder plan is journaled; no target folder created yet. */
    FOLDER_PLANNED,
    /** A target folder was CREATEd; its plan line does not say so yet. */
    FOLDER_CREATED,
    /** A folder's target exists and its plan line says so; no message journaled yet. */
    FOLDER_READY,
    /** INTENT rows of a batch are committed; nothing appended yet. */
    INTENT_COMMITTED,
    /** The batch's bodies are fetched from the source; nothing appended yet. */
    BODIES_FETCHED,
    /** The APPEND succeeded on the target; the DONE rows are not yet written. */
    APPENDED,
    /** The DONE rows are committed. */
    DONE_COMMITTED,
    /** Every batch of the folder is done; the checkpoint is not yet written. */
    BEFORE_CHECKPOINT
}
