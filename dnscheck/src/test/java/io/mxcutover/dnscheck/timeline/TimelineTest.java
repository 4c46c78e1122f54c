package io.mxcutover.dnscheck.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.propagation.Observations;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimelineTest {

    @ParameterizedTest(name = "[{index}] {0} -> switch {1}")
    @CsvSource(delimiter = ';', textBlock = """
            0=A1:old A2:old                                              ; -1
            0=A1:new A2:new                                              ; 0
            0=A1:old A2:old | 60=A1:new A2:new                           ; 60
            0=A1:old A2:old | 60=A1:new A2:old | 120=A1:new A2:new       ; 120
            0=A1:old | 60=A1:new | 120=A1:new | 180=A1:new               ; 60
            0=A1:old | 60=A1:new | 120=A1:old | 180=A1:new               ; 180
            0=A1:old | 60=A1:new | 120=A1:old                            ; -1
            0=A1:old A2:old | 60=A1:new A2:timeout | 120=A1:new A2:new   ; 120
            0=A1:old A2:old | 60=A1:new A2:new | 120=A1:new A2:timeout   ; 60
            0=A1:old A2:old | 60=A1:new A2:new | 120=A1:servfail A2:servfail ; 60
            0=A1:nodata | 60=A1:new                                      ; 60
            0=A1:nxdomain | 60=A1:nxdomain | 90=A1:new R1:nxdomain       ; 90
            0=A1:new A2:other | 60=A1:new A2:new                         ; 60
            0=A1:lame | 60=A1:new                                        ; 60
            0=R1:new                                                     ; -1
            0=A1:old R1:new | 60=A1:new R1:old                           ; 60
            """)
    void switchTimeShouldBeFirstPollOfLatestAllNewRunWhenHistoryGiven(String history, long expectedSecond) {
        List<Poll> polls = Observations.history(history);
        List<Poll> shuffled = new java.util.ArrayList<>(polls);
        Collections.reverse(shuffled);

        var switchTime = Timeline.switchTime(Observations.EXPECTED, shuffled);

        if (expectedSecond < 0) {
            assertThat(switchTime).isEmpty();
        } else {
            assertThat(switchTime).contains(Instant.ofEpochSecond(expectedSecond));
        }
    }

    @ParameterizedTest(name = "[{index}] {0} -> end {1} ({2})")
    @CsvSource(delimiter = ';', textBlock = """
            0=A1:old:3600 | 60=A1:new:300                                   ; 3660 ; OLD_RECORD_TTL       ; 3600
            0=A1:old:3600 A2:old:7200 | 60=A1:new A2:new                   ; 7260 ; OLD_RECORD_TTL       ; 7200
            0=A1:old:300 R1:old:120 | 60=A1:new R1:old:60                  ; 360  ; OLD_RECORD_TTL       ; 300
            0=A1:old:300 | 60=A1:new R1:old:900                            ; 960  ; OLD_RECORD_TTL       ; 900
            0=A1:old:30 | 60=A1:new R1:old:86400                           ; 86460 ; OLD_RECORD_TTL      ; 86400
            0=A1:nodata:3600 | 60=A1:new:300                               ; 3660 ; NEGATIVE_TTL         ; 3600
            0=A1:nxdomain:900 R1:nxdomain:500 | 100=A1:new                 ; 1000 ; NEGATIVE_TTL         ; 900
            0=A1:nodata:60 | 10=A1:new R1:nodata:3000                      ; 3010 ; NEGATIVE_TTL         ; 3000
            0=A1:old:300 A2:nodata:900 | 60=A1:new A2:new                  ; 960  ; OLD_RECORD_TTL       ; 900
            0=A1:new:300 R1:new                                            ; 300  ; ASSUMED_FROM_NEW_TTL ; 300
            0=A1:new:600 A2:new:1200                                       ; 1200 ; ASSUMED_FROM_NEW_TTL ; 1200
            0=A1:new:5 R1:old:4                                            ; 4    ; OLD_RECORD_TTL       ; 4
            0=A1:old:5 R1:old:5 | 2=A1:new:5 R1:old:3 | 6=A1:new R1:new    ; 7    ; OLD_RECORD_TTL       ; 5
            0=A1:other:1800 | 60=A1:new                                    ; 1860 ; OLD_RECORD_TTL       ; 1800
            0=A1:old:300 | 30=A1:timeout | 60=A1:new                       ; 360  ; OLD_RECORD_TTL       ; 300
            """)
    void expectedEndShouldAddLargestOldTtlToSwitchTimeWhenHistoryGiven(
            String history, long endSecond, ExpectedEnd.Basis basis, long ttl) {
        Timeline timeline = Timeline.of(Observations.EXPECTED, Observations.history(history));

        assertThat(timeline.expectedEnd()).isPresent();
        ExpectedEnd end = timeline.expectedEnd().orElseThrow();
        assertThat(end.at()).isEqualTo(Instant.ofEpochSecond(endSecond));
        assertThat(end.basis()).isEqualTo(basis);
        assertThat(end.ttlSeconds()).isEqualTo(ttl);
    }

    @ParameterizedTest(name = "[{index}] {0} -> propagated {1}")
    @CsvSource(delimiter = ';', textBlock = """
            0=A1:old R1:old                                                   ; -1
            0=A1:new R1:old                                                   ; -1
            0=A1:new R1:new                                                   ; 0
            0=A1:old R1:old | 60=A1:new R1:old | 120=A1:new R1:new             ; 120
            0=A1:new R1:new R2:old | 60=A1:new R1:new R2:new                   ; 60
            0=A1:new R1:new | 60=A1:new R1:new R2:timeout | 120=A1:new R1:new  ; 0
            0=A1:new R1:new | 60=A1:timeout R1:new | 120=A1:new R1:new         ; 0
            0=A1:new R1:new | 60=A1:old R1:new | 120=A1:new R1:new             ; 120
            0=A1:new R1:new | 60=A1:new R1:old                                 ; -1
            0=A1:new                                                           ; 0
            0=A1:new R1:new R2:timeout                                         ; -1
            0=A1:new R1:new R2:old | 60=A1:new R1:new R2:servfail               ; -1
            0=A1:new R1:new R2:timeout | 60=A1:new R1:new R2:new               ; 60
            """)
    void propagatedAtShouldBeFirstPollOfLatestPropagatedRunWhenHistoryGiven(String history, long expectedSecond) {
        var at = Timeline.propagatedAt(Observations.EXPECTED, Observations.history(history));

        if (expectedSecond < 0) {
            assertThat(at).isEmpty();
        } else {
            assertThat(at).contains(Instant.ofEpochSecond(expectedSecond));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            0=A1:old
            0=A1:old | 60=A1:new A2:old
            0=A1:timeout
            """)
    void expectedEndShouldBeEmptyWhenNoSwitchSeen(String history) {
        Timeline timeline = Timeline.of(Observations.EXPECTED, Observations.history(history));

        assertThat(timeline.switchTime()).isEmpty();
        assertThat(timeline.expectedEnd()).isEmpty();
    }
}
