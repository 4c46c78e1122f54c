package io.mxcutover.sync.batch;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One batch of a domain as stored: its state and when it was created, first started, last paused and last
 * completed; {@code finalPassAt} is when the final pass of the last "complete" finished (empty while it runs
 * or before any), {@code finalPassJson} its stored result.
 */
public record Batch(
        String domain,
        String name,
        BatchState state,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> pausedAt,
        Optional<Instant> completedAt,
        Optional<Instant> finalPassAt,
        Optional<String> finalPassJson,
        Instant updatedAt,
        String updatedBy) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public Batch {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        nameProblem(name).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    /**
     * Why {@code name} cannot name a batch: letters, digits, {@code .}, {@code _} and {@code -}, at most 64,
     * starting with a letter or digit (it is part of a URL path and an environment variable of a hook).
     */
    public static Optional<String> nameProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.of("batch name '" + (name == null ? "" : name) + "' is not valid: use 1 to 64 letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit");
        }
        return Optional.empty();
    }

    /** Whether the final pass of the last "complete" is still running. */
    public boolean finalPassRunning() {
        return state == BatchState.COMPLETED && finalPassAt.isEmpty();
    }
}
