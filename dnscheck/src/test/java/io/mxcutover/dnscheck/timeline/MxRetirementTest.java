package io.mxcutover.dnscheck.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.propagation.Observations;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When the hosts of {@code old} in {@link Observations} (standing in for the appliance's MX) may be
 * switched off. Columns: history, seconds between the last poll and now, expected time in seconds
 * (-1: not yet), a phrase of the reason.
 */
class MxRetirementTest {

    static final Duration STALE_AFTER = Duration.ofSeconds(960);

    @ParameterizedTest(name = "[{index}] {0} -> {2}")
    @CsvSource(delimiter = ';', textBlock = """
            ''                                                                   ; 0   ; -1   ; no DNS observation
            0=A1:old R1:old                                                      ; 0   ; -1   ; authoritative server A1 still returns mx.legacy.example
            0=A1:old:3600 R1:old:3600 | 60=A1:new R1:old:3540                    ; 0   ; -1   ; resolver R1 still returns mx.legacy.example (TTL 3540 s)
            0=A1:old:3600 R1:old:3600 | 60=A1:new R1:new                         ; 0   ; 3660 ; since 1970-01-01T00:01:00Z
            0=A1:old:3600 R1:old:3000 | 60=A1:new R1:new:300 | 120=A1:new R1:new ; 0   ; 3660 ; largest TTL seen on an answer listing it 3600 s
            0=A1:old:3600 R1:old | 60=A1:new A2:timeout R1:new                   ; 0   ; -1   ; A2 gave no answer (TIMEOUT): unknown
            0=A1:old:3600 R1:old | 60=A1:new A2:servfail R1:new                  ; 0   ; -1   ; A2 gave no answer (SERVFAIL): unknown
            0=A1:old:3600 R1:old | 60=A1:new R1:servfail                         ; 0   ; -1   ; resolver R1 gave no answer (SERVFAIL)
            0=A1:old:3600 R1:old | 60=A1:new R1:refused                          ; 0   ; -1   ; resolver R1 gave no answer (REFUSED)
            0=A1:old:3600 R1:old | 60=A1:new R1:timeout                          ; 0   ; -1   ; resolver R1 gave no answer (TIMEOUT)
            0=A1:old:3600 R1:old | 60=A1:new R1:neterr                           ; 0   ; -1   ; resolver R1 gave no answer (NETWORK_ERROR)
            0=A1:old:3600 R1:old | 60=A1:lame R1:new                             ; 0   ; -1   ; without the AA flag
            0=A1:old:3600 R1:old | 60=A1:new R1:new | 120=A1:new R1:timeout | 180=A1:new R1:new ; 0 ; 3780 ; since 1970-01-01T00:03:00Z
            0=A1:old:3600 R1:old | 60=A1:new R1:new                              ; 960 ; 3660 ; since
            0=A1:old:3600 R1:old | 60=A1:new R1:new                              ; 961 ; -1   ; more than 16 min ago
            0=R1:new                                                             ; 0   ; -1   ; no authoritative server was asked
            0=A1:old:60 R1:old:60 | 30=A1:new R1:old:7200 | 60=A1:new R1:new     ; 0   ; 7260 ; 7200 s
            0=A1:new:300 R1:new                                                  ; 0   ; 300  ; its TTL was not seen
            """)
    void retirementShouldWaitForPositiveAnswersEverywhereWhenHostsLeaveTheMx(
            String history, long nowAfterLast, long expectedAt, String phrase) {
        List<Poll> polls = history.isEmpty() ? List.of() : Observations.history(history);
        Instant last =
                polls.stream().map(Poll::at).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);

        MxRetirement r = MxRetirement.evaluate(
                "example.com", Set.of("MX.legacy.example."), polls, last.plusSeconds(nowAfterLast), STALE_AFTER);

        assertThat(r.at())
                .isEqualTo(expectedAt < 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(expectedAt)));
        assertThat(r.reason()).contains(phrase);
    }
}
