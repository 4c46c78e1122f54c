package io.mxcutover.sync.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * Readings of the journal's totals (messages and bytes copied so far) over time, kept for {@link #WINDOW}, and
 * the copy rate between the oldest and the newest: what was really copied over a recent interval, whatever
 * the pass structure. Times come from the caller's (injected) clock. Thread-safe.
 */
public final class RateMeter {
    /** How far back the rate looks. */
    public static final Duration WINDOW = Duration.ofMinutes(10);
    /** Readings closer than this to the newest one are not kept (a busy API must not fill the memory). */
    public static final Duration SPACING = Duration.ofSeconds(1);

    private record Reading(Instant at, long messages, long bytes) {}

    private final Deque<Reading> readings = new ArrayDeque<>();

    public synchronized void record(Instant at, long messages, long bytes) {
        Reading last = readings.peekLast();
        if (last != null && Duration.between(last.at(), at).compareTo(SPACING) < 0) {
            return;
        }
        readings.addLast(new Reading(at, messages, bytes));
        // Keep one reading at or before the window's start, so the rate spans the whole window.
        while (readings.size() > 2) {
            Iterator<Reading> it = readings.iterator();
            it.next();
            if (it.next().at().isAfter(at.minus(WINDOW))) {
                break;
            }
            readings.removeFirst();
        }
    }

    /** Whether a new reading at {@code at} would be kept. */
    public synchronized boolean due(Instant at) {
        Reading last = readings.peekLast();
        return last == null || Duration.between(last.at(), at).compareTo(SPACING) >= 0;
    }

    /**
     * The rate between the oldest kept reading and the newest; empty with fewer than two. Idle readings before
     * the copy (re)started do not count: the rate is measured from the last reading before the totals moved.
     */
    public synchronized Optional<Eta.Rate> rate() {
        if (readings.size() < 2) {
            return Optional.empty();
        }
        Iterator<Reading> it = readings.iterator();
        Reading a = it.next();
        while (it.hasNext()) {
            Reading next = it.next();
            if (next.messages() != a.messages() || next.bytes() != a.bytes() || !it.hasNext()) {
                break;
            }
            a = next;
        }
        Reading b = readings.peekLast();
        return Eta.Rate.between(a.at(), a.messages(), a.bytes(), b.at(), b.messages(), b.bytes());
    }
}
