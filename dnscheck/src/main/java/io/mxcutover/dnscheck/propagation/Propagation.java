package io.mxcutover.dnscheck.propagation;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.Observation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The verdict of one poll: a pure function of the expected MX and what every server said. */
public final class Propagation {

    private Propagation() {}

    public static PropagationReport evaluate(ExpectedMx expected, List<Observation> observations) {
        List<ServerStatus> statuses = new ArrayList<>();
        for (Observation o : observations) {
            statuses.add(new ServerStatus(o, MxView.of(expected, o.server(), o.mx())));
        }
        List<ServerStatus> authoritative =
                statuses.stream().filter(s -> s.server().authoritative()).toList();
        List<ServerStatus> resolvers =
                statuses.stream().filter(s -> !s.server().authoritative()).toList();
        String domain = expected.domain();

        if (authoritative.isEmpty()) {
            return report(
                    domain,
                    Verdict.ERROR,
                    0,
                    0,
                    statuses,
                    "no authoritative name server for " + domain + " was found; check the NS records "
                            + "or pass --authoritative");
        }
        List<ServerStatus> authAnswering =
                authoritative.stream().filter(Propagation::usable).toList();
        if (authAnswering.isEmpty()) {
            return report(
                    domain,
                    Verdict.ERROR,
                    0,
                    0,
                    statuses,
                    "no authoritative server of " + domain + " gave a usable answer: " + failures(authoritative));
        }
        Set<Set<String>> published = authAnswering.stream()
                .map(s -> answeredHosts(s.observation().mx().outcome()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (published.size() > 1) {
            return report(
                    domain,
                    Verdict.INCONSISTENT,
                    0,
                    0,
                    statuses,
                    "the authoritative servers of " + domain + " disagree: " + describe(authAnswering)
                            + "; reload or resync the zone on every server");
        }
        if (authAnswering.size() < authoritative.size()) {
            return report(
                    domain,
                    Verdict.ERROR,
                    0,
                    0,
                    statuses,
                    "authoritative server failed for " + domain + ": " + failures(authoritative)
                            + "; senders that ask it get no MX");
        }
        if (!published.iterator().next().equals(expected.expectedHosts())) {
            return report(
                    domain,
                    Verdict.NOT_SWITCHED,
                    0,
                    0,
                    statuses,
                    "the authoritative servers still publish " + describe(authAnswering.subList(0, 1)) + ", not "
                            + expected.expectedHosts());
        }
        List<ServerStatus> resolversAnswering =
                resolvers.stream().filter(Propagation::usable).toList();
        if (!resolvers.isEmpty() && resolversAnswering.isEmpty()) {
            return report(
                    domain,
                    Verdict.ERROR,
                    0,
                    0,
                    statuses,
                    "no resolver gave a usable answer for " + domain + ": " + failures(resolvers));
        }
        int n = resolversAnswering.size();
        int k = (int)
                resolversAnswering.stream().filter(s -> s.view() == MxView.NEW).count();
        if (k == n && resolversAnswering.size() < resolvers.size()) {
            // A resolver that gave no answer may still hold the old MX: unknown is not propagated.
            return report(
                    domain,
                    Verdict.ERROR,
                    k,
                    n,
                    statuses,
                    k + " of " + n + " answering resolvers show the new MX, but not known for " + failures(resolvers)
                            + "; not propagated until every watched resolver answers");
        }
        if (k == n) {
            return report(
                    domain,
                    Verdict.PROPAGATED,
                    k,
                    n,
                    statuses,
                    n == 0
                            ? "the new MX is published; no resolver is watched"
                            : "every resolver answers with the new MX");
        }
        if (k == 0) {
            return report(
                    domain,
                    Verdict.PUBLISHED,
                    k,
                    n,
                    statuses,
                    "the new MX is published; no resolver shows it yet (caches still hold the old answer)"
                            + unknown(resolvers));
        }
        return report(
                domain,
                Verdict.PROPAGATING,
                k,
                n,
                statuses,
                k + " of " + n + " resolvers show the new MX" + unknown(resolvers));
    }

    /** Host names of an MX answer; empty for NODATA/NXDOMAIN. */
    public static Set<String> mxHosts(LookupOutcome.NoError answer) {
        return answer.answers().stream()
                .map(a -> MxHost.of(a).host())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    static Set<String> answeredHosts(LookupOutcome outcome) {
        return outcome instanceof LookupOutcome.NoError noError ? mxHosts(noError) : Set.of();
    }

    static boolean usable(ServerStatus s) {
        return s.view() != MxView.FAILED && s.view() != MxView.LAME;
    }

    private static String failures(List<ServerStatus> statuses) {
        return statuses.stream()
                .filter(s -> !usable(s))
                .map(s -> s.server().label() + " "
                        + (s.view() == MxView.LAME
                                ? "answered without the AA flag (lame delegation?)"
                                : s.observation().mx().outcome() instanceof LookupOutcome.NetworkError ne
                                        ? ne.code() + " (" + ne.detail() + ")"
                                        : s.observation().mx().outcome().code()))
                .collect(Collectors.joining(", "));
    }

    private static String unknown(List<ServerStatus> resolvers) {
        return resolvers.stream().allMatch(Propagation::usable) ? "" : "; not known for " + failures(resolvers);
    }

    private static String describe(List<ServerStatus> statuses) {
        return statuses.stream()
                .map(s -> s.server().label() + " "
                        + (s.observation().mx().outcome() instanceof LookupOutcome.NoError ne
                                ? mxHosts(ne).toString()
                                : s.observation().mx().outcome().code()))
                .collect(Collectors.joining(", "));
    }

    private static PropagationReport report(
            String domain, Verdict verdict, int k, int n, List<ServerStatus> statuses, String reason) {
        return new PropagationReport(domain, verdict, k, n, statuses, reason);
    }
}
