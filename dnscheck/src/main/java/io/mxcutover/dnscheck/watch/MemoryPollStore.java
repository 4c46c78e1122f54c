package io.mxcutover.dnscheck.watch;

import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.propagation.Verdict;
import io.mxcutover.dnscheck.timeline.TimelineSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Polls in memory: for one-shot checks and tests. */
public final class MemoryPollStore implements PollStore {

    private final Map<String, List<Poll>> polls = new HashMap<>();
    private final Map<String, TimelineSummary> summaries = new HashMap<>();

    @Override
    public synchronized void save(Poll poll, Verdict verdict) {
        List<Poll> list = polls.computeIfAbsent(poll.domain(), d -> new ArrayList<>());
        list.add(poll);
        if (list.size() > 1 && poll.at().isBefore(list.get(list.size() - 2).at())) {
            list.sort(Comparator.comparing(Poll::at));
        }
    }

    @Override
    public synchronized void save(Poll poll, Verdict verdict, TimelineSummary summary) {
        save(poll, verdict);
        summaries.put(poll.domain(), summary);
    }

    @Override
    public synchronized void saveSummary(String domain, TimelineSummary summary) {
        summaries.put(domain, summary);
    }

    @Override
    public synchronized Optional<TimelineSummary> summary(String domain) {
        return Optional.ofNullable(summaries.get(domain));
    }

    @Override
    public synchronized List<Poll> history(String domain) {
        return List.copyOf(polls.getOrDefault(domain, List.of()));
    }

    @Override
    public synchronized List<Poll> latest(String domain, int limit) {
        List<Poll> all = polls.getOrDefault(domain, List.of());
        return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, limit)), all.size()));
    }

    @Override
    public synchronized List<Poll> since(String domain, Instant after) {
        return polls.getOrDefault(domain, List.of()).stream()
                .filter(p -> p.at().isAfter(after))
                .toList();
    }

    @Override
    public synchronized long count(String domain) {
        return polls.getOrDefault(domain, List.of()).size();
    }
}
