package io.mxcutover.dnscheck.timeline;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.propagation.MxHost;
import io.mxcutover.dnscheck.propagation.Propagation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When a set of MX hosts may be switched off: once no authoritative server and no watched resolver
 * returns any of them any more, plus the largest TTL seen on an answer that did (a cache may hold it
 * that long), and never before a resolver's observed remaining TTL ran out. Used for the appliance's
 * own MX after the last switch of a relay-first move. Pure.
 *
 * <p>Only positive, recent answers count: a server that failed (SERVFAIL, REFUSED, timeout, malformed
 * reply), an authoritative answer without AA, a poll without an authoritative server, or a latest poll
 * older than {@code staleAfter} is "not yet", with the reason. "Gone since" is the first poll of the
 * latest run of polls in which every server answered without the hosts; when that run reaches back to
 * the oldest poll given, that poll's time is taken (later than the truth, never earlier).
 *
 * @param at     when the hosts may be switched off (may be in the future); empty: not yet known
 * @param reason in a mail admin's words
 */
public record MxRetirement(Optional<Instant> at, String reason) {

    public MxRetirement {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }

    public static MxRetirement evaluate(
            String domain, Set<String> hosts, List<Poll> polls, Instant now, Duration staleAfter) {
        Set<String> gone =
                hosts.stream().map(MxHost::normalizeHost).collect(Collectors.toCollection(LinkedHashSet::new));
        List<Poll> sorted =
                polls.stream().sorted(Comparator.comparing(Poll::at)).toList();
        if (sorted.isEmpty()) {
            return notYet("no DNS observation of " + domain + " yet");
        }
        Poll latest = sorted.get(sorted.size() - 1);
        if (latest.at().plus(staleAfter).isBefore(now)) {
            return notYet("the last DNS poll of " + domain + " was at " + latest.at() + ", more than "
                    + staleAfter.toMinutes() + " min ago: unknown (is the DNS watcher polling?)");
        }
        List<String> blocking = blocking(gone, latest);
        if (!blocking.isEmpty()) {
            return notYet(String.join("; ", blocking));
        }
        Instant since = latest.at();
        for (int i = sorted.size() - 2; i >= 0 && blocking(gone, sorted.get(i)).isEmpty(); i--) {
            since = sorted.get(i).at();
        }
        long ttl = -1;
        Instant expiry = null;
        long stand = 0;
        for (Poll poll : sorted) {
            for (Observation o : poll.observations()) {
                if (!(o.mx().outcome() instanceof LookupOutcome.NoError ne)) {
                    continue;
                }
                stand = Math.max(stand, ne.ttl());
                if (Propagation.mxHosts(ne).stream().anyMatch(gone::contains)) {
                    ttl = Math.max(ttl, ne.ttl());
                    Instant until = poll.at().plusSeconds(ne.ttl());
                    if (!o.server().authoritative() && (expiry == null || until.isAfter(expiry))) {
                        expiry = until;
                    }
                }
            }
        }
        String basis = ttl >= 0
                ? "largest TTL seen on an answer listing it " + ttl + " s"
                : "its TTL was not seen in the polls kept; the largest MX TTL seen (" + stand + " s) is taken";
        long wait = ttl >= 0 ? ttl : stand;
        Instant at = since.plusSeconds(wait);
        if (expiry != null && expiry.isAfter(at)) {
            at = expiry;
        }
        return new MxRetirement(
                Optional.of(at),
                "no authoritative server or watched resolver returns " + String.join(", ", gone) + " since " + since
                        + "; + " + basis);
    }

    /** Why {@code poll} does not show the hosts gone everywhere; empty when it does. */
    private static List<String> blocking(Set<String> gone, Poll poll) {
        List<String> still = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        boolean authoritative = false;
        for (Observation o : poll.observations()) {
            LookupOutcome outcome = o.mx().outcome();
            String role = o.server().authoritative() ? "authoritative server " : "resolver ";
            authoritative |= o.server().authoritative();
            if (!outcome.answered()) {
                unknown.add(role + o.server().label() + " gave no answer (" + outcome.code() + "): unknown");
            } else if (o.server().authoritative() && !o.mx().authoritativeAnswer()) {
                unknown.add(role + o.server().label() + " answered without the AA flag: unknown");
            } else if (outcome instanceof LookupOutcome.NoError ne) {
                List<String> listed =
                        Propagation.mxHosts(ne).stream().filter(gone::contains).toList();
                if (!listed.isEmpty()) {
                    still.add(role + o.server().label() + " still returns " + String.join(", ", listed) + " (TTL "
                            + ne.ttl() + " s)");
                }
            }
        }
        if (!authoritative) {
            unknown.add("no authoritative server was asked: unknown");
        }
        still.addAll(unknown);
        return still;
    }

    private static MxRetirement notYet(String reason) {
        return new MxRetirement(Optional.empty(), reason);
    }
}
