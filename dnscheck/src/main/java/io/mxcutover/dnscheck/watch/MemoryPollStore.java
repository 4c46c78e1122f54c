package io.mxcutover.dnscheck.watch;

import io.mxcutover.dnscheck.propagation.Poll;
import io.mxcutover.dnscheck.propagation.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Polls in memory: for one-shot checks and tests. */
public final class MemoryPollStore implements PollStore {

    private final Map<String, List<Poll>> polls = new HashMap<>();

    @Override
    public synchronized void save(Poll poll, Verdict verdict) {
        polls.computeIfAbsent(poll.domain(), d -> new ArrayList<>()).add(poll);
    }

    @Override
    public synchronized List<Poll> history(String domain) {
        return polls.getOrDefault(domain, List.of()).stream().sorted(Comparator.comparing(Poll::at)).toList();
    }
}
