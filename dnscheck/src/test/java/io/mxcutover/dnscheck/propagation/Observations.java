package io.mxcutover.dnscheck.propagation;

import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact notation for test tables: space-separated servers, each
 * {@code <A|R><n>:<answer>[:ttl]} where answer is {@code new}, {@code old}, {@code other},
 * {@code nodata}, {@code nxdomain}, {@code servfail}, {@code refused}, {@code timeout},
 * {@code neterr} or {@code lame} (authoritative answer without AA).
 * Example: {@code "A1:new:30 A2:new R1:old:12 R2:timeout"}.
 */
public final class Observations {

    public static final ExpectedMx EXPECTED = new ExpectedMx(
            "example.com",
            List.of(new MxHost(10, "mx1.new.example"), new MxHost(20, "mx2.new.example")),
            List.of(new MxHost(10, "mx.legacy.example")));

    private Observations() {}

    static List<Observation> parse(String spec) {
        List<Observation> result = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return result;
        }
        for (String token : spec.trim().split("\\s+")) {
            String[] p = token.split(":");
            NameServer.Role role = p[0].startsWith("A") ? NameServer.Role.AUTHORITATIVE : NameServer.Role.RESOLVER;
            int n = Integer.parseInt(p[0].substring(1));
            NameServer server =
                    new NameServer(p[0], role, "127.0.0." + n, role == NameServer.Role.AUTHORITATIVE ? 53 : 5300);
            long ttl = p.length > 2 ? Long.parseLong(p[2]) : 300;
            boolean aa = role == NameServer.Role.AUTHORITATIVE;
            LookupOutcome outcome = switch (p[1]) {
                case "new" -> new LookupOutcome.NoError(List.of("10 mx1.new.example", "20 mx2.new.example"), ttl);
                case "newrev" -> new LookupOutcome.NoError(List.of("5 MX2.new.example.", "50 mx1.new.example"), ttl);
                case "old" -> new LookupOutcome.NoError(List.of("10 mx.legacy.example"), ttl);
                case "other" -> new LookupOutcome.NoError(List.of("10 mx1.new.example"), ttl);
                case "nodata" -> new LookupOutcome.NoData(ttl);
                case "nxdomain" -> new LookupOutcome.NxDomain(ttl);
                case "servfail" -> new LookupOutcome.ServFail();
                case "refused" -> new LookupOutcome.Refused();
                case "timeout" -> new LookupOutcome.Timeout();
                case "neterr" -> new LookupOutcome.NetworkError("connection refused");
                case "lame" -> {
                    aa = false;
                    yield new LookupOutcome.NoError(List.of("10 mx1.new.example", "20 mx2.new.example"), ttl);
                }
                default -> throw new IllegalArgumentException(token);
            };
            ServerReply mx = new ServerReply(outcome, aa, false, java.time.Duration.ofMillis(1));
            ServerReply txt = new ServerReply(new LookupOutcome.NoData(60), aa, false, java.time.Duration.ofMillis(1));
            result.add(new Observation(server, mx, txt));
        }
        return result;
    }

    public static Poll poll(int secondsAfterEpoch, String spec) {
        return new Poll("example.com", Instant.ofEpochSecond(secondsAfterEpoch), parse(spec));
    }

    /** {@code "0=A1:old R1:old | 60=A1:new R1:old"}: polls at the given seconds. */
    public static List<Poll> history(String spec) {
        List<Poll> polls = new ArrayList<>();
        for (String part : spec.split("\\|")) {
            String[] kv = part.trim().split("=", 2);
            polls.add(poll(Integer.parseInt(kv[0].trim()), kv[1]));
        }
        return polls;
    }
}
