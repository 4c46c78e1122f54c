package io.mxcutover.sync.plan;

/**
 * Where one message's copy stands. {@code INTENT}: written before the APPEND; the target may
 * or may not have the message. {@code DONE}: the target has it (target UID known when the
 * server reported it). Stored as these words in {@code sync_message.state}.
 */
public enum CopyState {
    INTENT,
    DONE
}
