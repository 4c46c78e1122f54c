package io.mxcutover.dnscheck.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.dnscheck.poll.Poll;
import io.mxcutover.dnscheck.propagation.ExpectedMx;
import io.mxcutover.dnscheck.propagation.MxHost;
import io.mxcutover.dnscheck.propagation.Observations;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimelineSummaryTest {

    static final ExpectedMx UNKNOWN_LEGACY =
            ExpectedMx.of("example.com", List.of("mx1.new.example", "mx2.new.example"));

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "0=A1:old:3600 R1:old:3000 | 60=A1:new:300 R1:old:2940 | 120=A1:new R1:new | 180=A1:new R1:new",
                "0=A1:old:300 A2:old:900 R1:old:120 | 60=A1:new A2:old | 120=A1:new A2:new R1:old:60 | 900=A1:new A2:new R1:new",
                "0=A1:nodata:3600 | 60=A1:new:300 R1:nxdomain:500 | 90=A1:new R1:new",
                "0=A1:old | 60=A1:new | 120=A1:old | 180=A1:new R1:new | 240=A1:servfail R1:new | 300=A1:new R1:old:20",
                "0=A1:new:5 R1:old:4 | 2=A1:timeout R1:timeout | 4=A1:lame R1:new",
                "0=A1:other A2:other | 30=A1:old A2:old | 60=A1:new A2:new R1:other:700"
            })
    void addShouldGiveSameTimelineAsWholeHistoryWhenPollsFoldedOneByOne(String spec) {
        List<Poll> history = Observations.history(spec);
        for (ExpectedMx expected : List.of(Observations.EXPECTED, UNKNOWN_LEGACY)) {
            TimelineSummary summary = TimelineSummary.empty(expected);
            for (int i = 0; i < history.size(); i++) {
                summary = summary.add(expected, history.get(i));

                List<Poll> sofar = history.subList(0, i + 1);
                assertThat(summary.timeline()).isEqualTo(Timeline.of(expected, sofar));
                assertThat(summary.polls()).isEqualTo(i + 1);
            }
            // The legacy set's being known changes OLD into OTHER, which the timeline does not tell apart.
            assertThat(summary.timeline())
                    .isEqualTo(
                            TimelineSummary.of(Observations.EXPECTED, history).timeline());
        }
    }

    @Test
    void addShouldRecordLegacyFromFirstConsistentPollWhenLegacyNotInPlan() {
        TimelineSummary summary = TimelineSummary.of(
                UNKNOWN_LEGACY, Observations.history("0=A1:old A2:servfail | 60=A1:old A2:old | 120=A1:new A2:new"));

        assertThat(summary.observedLegacy()).contains(List.of(new MxHost(10, "mx.legacy.example")));
    }

    @Test
    void addShouldRefuseWhenPollOlderThanLastOrExpectedSetDiffers() {
        TimelineSummary summary = TimelineSummary.of(Observations.EXPECTED, Observations.history("60=A1:old"));
        ExpectedMx elsewhere = ExpectedMx.of("example.com", List.of("mx.elsewhere.example"));

        assertThatThrownBy(() -> summary.add(Observations.EXPECTED, Observations.poll(30, "A1:new")))
                .hasMessageContaining("older than the last one");
        assertThatThrownBy(() -> summary.add(elsewhere, Observations.poll(90, "A1:new")))
                .hasMessageContaining("was made for");
        assertThat(summary.fits(UNKNOWN_LEGACY)).isTrue();
        assertThat(summary.fits(elsewhere)).isFalse();
    }
}
