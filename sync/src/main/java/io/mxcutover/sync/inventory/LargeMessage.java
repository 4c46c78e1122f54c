package io.mxcutover.sync.inventory;

import java.time.Instant;
import java.util.Objects;

/** A message named by the inventory: one of a mailbox's largest, or one over the new server's APPENDLIMIT. */
public record LargeMessage(String folder, long uid, long size, String messageId, Instant internalDate) {
    public LargeMessage {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(internalDate, "internalDate");
    }
}
