package io.mxcutover.dnscheck.watch;

import io.mxcutover.dnscheck.propagation.Poll;
import io.mxcutover.dnscheck.propagation.Verdict;
import java.util.List;

/**
 * Where polls are kept. {@link #save} is called once per poll, after every answer is in,
 * from the watcher's thread; implementations must be safe to read from other threads
 * (REST requests) at the same time.
 */
public interface PollStore {

    /** Stores the poll with the verdict it led to (kept for SQL readers; the history is re-evaluated). */
    void save(Poll poll, Verdict verdict);

    /** Every stored poll of the domain, oldest first. */
    List<Poll> history(String domain);
}
