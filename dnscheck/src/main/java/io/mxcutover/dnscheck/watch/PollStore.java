package io.mxcutover.dnscheck.watch;

import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.timeline.TimelineSummary;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where polls are kept, with each domain's {@link TimelineSummary} (the history folded). The
 * watcher saves a poll and the summary that includes it together, and reads back only the
 * summary, the polls after it and the newest few: never the whole history, except once when
 * the expected MX set of a domain changes. Saves come from the watcher's threads (one at a
 * time per domain); implementations must be safe to read from other threads (REST requests)
 * at the same time.
 */
public interface PollStore {

    /** Stores the poll with the verdict it led to (kept for SQL readers; the history is re-evaluated). */
    void save(Poll poll, Verdict verdict);

    /** Stores the poll and replaces the domain's summary, which must already include the poll, atomically. */
    void save(Poll poll, Verdict verdict, TimelineSummary summary);

    /** Replaces the domain's summary (after folding the history again). */
    void saveSummary(String domain, TimelineSummary summary);

    /** The domain's latest stored summary. */
    Optional<TimelineSummary> summary(String domain);

    /** Every stored poll of the domain, oldest first. Reads the whole history: not for every poll. */
    List<Poll> history(String domain);

    /** The newest {@code limit} polls of the domain, oldest first. */
    List<Poll> latest(String domain, int limit);

    /** The polls of the domain after {@code after} (exclusive), oldest first. */
    List<Poll> since(String domain, Instant after);

    /** How many polls of the domain are stored. */
    long count(String domain);
}
