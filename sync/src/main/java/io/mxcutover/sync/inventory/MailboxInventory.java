package io.mxcutover.sync.inventory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one mailbox holds on the legacy server and how it will land on the new one. {@code outcome} says
 * whether it could be listed: a mailbox whose login failed has no folders and its reason (never a secret).
 * {@code newServerProblem} is set when legacy was listed but the new server could not be checked (its
 * folders are then {@code UNCHECKED}). {@code listing} is how long the inventory took for this mailbox (both
 * servers): the per-mailbox cost of a pass, which the estimate adds to the copy time.
 */
public record MailboxInventory(
        String address,
        Outcome outcome,
        String problem,
        String newServerProblem,
        List<FolderCount> folders,
        List<LargeMessage> largest,
        List<LargeMessage> overAppendLimit,
        Duration listing) {
    public enum Outcome {
        /** Listed on legacy. */
        LISTED,
        /** Legacy refused the login (wrong password, unknown user): fix the mailbox list. */
        LOGIN_FAILED,
        /** Anything else went wrong on legacy (connection, a folder that could not be read). */
        FAILED
    }

    public MailboxInventory {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(outcome, "outcome");
        problem = problem == null ? "" : problem;
        newServerProblem = newServerProblem == null ? "" : newServerProblem;
        folders = List.copyOf(folders);
        largest = List.copyOf(largest);
        overAppendLimit = List.copyOf(overAppendLimit);
        Objects.requireNonNull(listing, "listing");
    }

    public static MailboxInventory failed(String address, Outcome outcome, String problem, Duration listing) {
        return new MailboxInventory(address, outcome, problem, "", List.of(), List.of(), List.of(), listing);
    }

    public long messages() {
        return folders.stream().mapToLong(FolderCount::messages).sum();
    }

    public long bytes() {
        return folders.stream().mapToLong(FolderCount::bytes).sum();
    }

    public String domain() {
        return address.substring(address.lastIndexOf('@') + 1);
    }
}
