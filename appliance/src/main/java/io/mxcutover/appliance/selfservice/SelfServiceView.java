package io.mxcutover.appliance.selfservice;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the page shows a logged-in user about their own mailbox: its state in words, and per folder the messages
 * copied of those on the old server ({@code total} empty until a pass has listed the folder). Nothing of another
 * mailbox, nothing secret.
 */
public record SelfServiceView(
        String address,
        String state,
        String explanation,
        List<Folder> folders,
        long messagesCopied,
        OptionalLong messagesTotal,
        Optional<Instant> lastPassFinishedAt) {

    /** One folder of the old server and how far its copy got. */
    public record Folder(String name, long copied, OptionalLong total) {}

    static String explain(String state) {
        return switch (state) {
            case "AWAITING_USER" -> "Waiting for your login: nothing is copied yet.";
            case "PENDING" -> "Your copy is about to start.";
            case "SYNCING" -> "Your mail is being copied to the new server.";
            case "SYNCED" -> "Everything on the old server is copied; new mail keeps being copied until the move ends.";
            case "INCOMPLETE" -> "Most of your mail is copied; a few messages will be tried again.";
            case "FAILED" -> "The copy stopped; your administrator has been told and will retry.";
            default -> state;
        };
    }
}
