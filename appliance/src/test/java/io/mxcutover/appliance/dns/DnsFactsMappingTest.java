package io.mxcutover.appliance.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.facts.DnsFacts;
import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.dnscheck.poll.LookupOutcome;
import io.mxcutover.dnscheck.poll.NameServer;
import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.poll.ServerReply;
import io.mxcutover.dnscheck.propagation.DnsReport;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.MxHost;
import io.mxcutover.dnscheck.spf.SpfExpectation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsFactsMappingTest {

    static final ExpectedMx EXPECTED = new ExpectedMx(
            "example.com", List.of(new MxHost(10, "mx.new.example")), List.of(new MxHost(10, "mx.legacy.example")));

    /** {@code "A:new R:old"}: A = authoritative, R = resolver; new/old/other/timeout. */
    static Poll poll(int second, String spec) {
        List<Observation> obs = new ArrayList<>();
        int n = 0;
        for (String t : spec.split("\\s+")) {
            String[] p = t.split(":");
            boolean auth = p[0].equals("A");
            NameServer s = new NameServer(
                    p[0] + (++n), auth ? NameServer.Role.AUTHORITATIVE : NameServer.Role.RESOLVER, "127.0.0." + n, 53);
            LookupOutcome o = switch (p[1]) {
                case "new" -> new LookupOutcome.NoError(List.of("10 mx.new.example"), 300);
                case "old" -> new LookupOutcome.NoError(List.of("10 mx.legacy.example"), 3600);
                case "other" -> new LookupOutcome.NoError(List.of("10 typo.example"), 300);
                default -> new LookupOutcome.Timeout();
            };
            ServerReply r = new ServerReply(o, auth, false, Duration.ZERO);
            obs.add(new Observation(s, r, new ServerReply(new LookupOutcome.NoData(60), auth, false, Duration.ZERO)));
        }
        return new Poll("example.com", Instant.ofEpochSecond(second), obs);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = ';', textBlock = """
            A:old R:old              ; NOT_SWITCHED ; false ; false ; 0
            A:other R:old            ; UNEXPECTED   ; false ; false ; 0
            A:new R:old              ; PROPAGATING  ; true  ; false ; 3600
            A:new R:new R:old        ; PROPAGATING  ; true  ; false ; 3600
            A:new R:new              ; SWITCHED     ; true  ; true  ; 3600
            A:new A:old R:new        ; UNEXPECTED   ; false ; false ; 0
            A:timeout R:new          ; UNKNOWN      ; false ; false ; 0
            """)
    void factsShouldMapVerdictAndWindowFactsWhenAfterALegacyPoll(
            String latest, DnsVerdict verdict, boolean switched, boolean converged, long oldTtl) {
        DnsReport report =
                DnsReport.of(EXPECTED, SpfExpectation.NONE, List.of(poll(0, "A:old R:old"), poll(60, latest)));

        DnsFacts facts = DnsFactsMapping.of(report);

        assertThat(facts.verdict()).isEqualTo(verdict);
        assertThat(facts.mxSwitchSeenAt())
                .isEqualTo(switched ? Optional.of(Instant.ofEpochSecond(60)) : Optional.empty());
        assertThat(facts.resolversConvergedAt().isPresent()).isEqualTo(converged);
        assertThat(facts.largestOldTtl()).isEqualTo(Duration.ofSeconds(oldTtl));
        assertThat(facts.detail()).startsWith(report.verdict().name());
    }

    /** A stale latest poll (the watcher stopped) is unknown; "resolvers converged" is withheld. */
    @ParameterizedTest(name = "[{index}] latest {0} read {1}s later -> {2}")
    @CsvSource(delimiter = ';', textBlock = """
            A:new R:new   ; 0     ; SWITCHED ; true
            A:new R:new   ; 960   ; SWITCHED ; true
            A:new R:new   ; 961   ; UNKNOWN  ; false
            A:new R:new   ; 86400 ; UNKNOWN  ; false
            A:old R:old   ; 86400 ; UNKNOWN  ; false
            A:new R:timeout ; 0   ; UNKNOWN  ; false
            A:new A:timeout R:new ; 0 ; UNKNOWN ; false
            """)
    void factsShouldBeUnknownWhenLatestPollIsStaleOrFailed(
            String latest, long readAfter, DnsVerdict verdict, boolean converged) {
        DnsReport report =
                DnsReport.of(EXPECTED, SpfExpectation.NONE, List.of(poll(0, "A:old R:old"), poll(60, latest)));

        DnsFacts facts =
                DnsFactsMapping.of(Optional.of(report), Instant.ofEpochSecond(60 + readAfter), Duration.ofSeconds(960));

        assertThat(facts.verdict()).isEqualTo(verdict);
        assertThat(facts.resolversConvergedAt().isPresent()).isEqualTo(converged);
        if (readAfter > 960) {
            assertThat(facts.detail()).contains("last DNS poll of example.com").contains("not polling");
        }
    }

    @org.junit.jupiter.api.Test
    void factsShouldBeUnknownWhenNeverPolled() {
        DnsFacts facts = DnsFactsMapping.of(Optional.empty(), Instant.ofEpochSecond(60), Duration.ofSeconds(960));

        assertThat(facts.verdict()).isEqualTo(DnsVerdict.UNKNOWN);
        assertThat(facts.mxSwitchSeenAt()).isEmpty();
        assertThat(facts.resolversConvergedAt()).isEmpty();
    }
}
