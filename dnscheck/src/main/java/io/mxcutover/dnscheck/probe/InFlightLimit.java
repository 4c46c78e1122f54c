package io.mxcutover.dnscheck.probe;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Caps outstanding queries without blocking a thread: a task waits in a queue until one
 * finishes. Every UDP query holds a socket until it completes, and the process has a file
 * descriptor limit.
 */
final class InFlightLimit {

    private final int max;
    private final Executor executor;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    InFlightLimit(int max, Executor executor) {
        if (max < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        this.max = max;
        this.executor = executor;
    }

    <T> CompletableFuture<T> submit(Supplier<? extends CompletionStage<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletionStage<T> stage;
            try {
                stage = task.get();
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((value, error) -> {
                // Release before completing, so that a caller chaining the next query finds a free slot.
                release();
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
        };
        boolean now;
        synchronized (this) {
            now = running < max;
            if (now) {
                running++;
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            // On the executor, not here: a chain of queries failing at once must not recurse.
            executor.execute(next);
        }
    }
}
