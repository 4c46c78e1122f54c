package io.mxcutover.dnscheck.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.dnscheck.poll.Poll;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PropagationSeriesTest {

    @ParameterizedTest(name = "[{index}] {0} -> auth {1}/{2}, resolvers {3}/{4}, failed {5}")
    @CsvSource(delimiter = '|', textBlock = """
            A1:old A2:old R1:old R2:old           | 0 | 2 | 0 | 2 | 0
            A1:new A2:new R1:old R2:old           | 2 | 2 | 0 | 2 | 0
            A1:new A2:old R1:new                  | 1 | 2 | 1 | 1 | 0
            A1:new A2:new R1:new R2:old R3:new    | 2 | 2 | 2 | 3 | 0
            A1:new A2:new R1:new R2:new           | 2 | 2 | 2 | 2 | 0
            A1:newrev R1:newrev                   | 1 | 1 | 1 | 1 | 0
            A1:new R1:new R2:timeout              | 1 | 1 | 1 | 2 | 1
            A1:lame R1:servfail R2:refused        | 0 | 1 | 0 | 2 | 3
            A1:other R1:nodata R2:nxdomain        | 0 | 1 | 0 | 2 | 0
            R1:new                                | 0 | 0 | 1 | 1 | 0
            """)
    void pointShouldCountServersOnNewWhenTheyAnswer(
            String spec, int authNew, int auth, int resNew, int res, int failed) {
        Instant at = Instant.parse("2026-11-20T08:00:00Z");
        PropagationSeries.Point p =
                PropagationSeries.point(Observations.EXPECTED, new Poll("example.com", at, Observations.parse(spec)));

        assertThat(p).isEqualTo(new PropagationSeries.Point(at, authNew, auth, resNew, res, failed));
    }

    @Test
    void seriesShouldBeOldestFirstWhenPollsComeInAnyOrder() {
        Instant t0 = Instant.parse("2026-11-20T08:00:00Z");
        List<Poll> polls = List.of(
                new Poll("example.com", t0.plusSeconds(60), Observations.parse("A1:new R1:new")),
                new Poll("example.com", t0, Observations.parse("A1:old R1:old")),
                new Poll("example.com", t0.plusSeconds(30), Observations.parse("A1:new R1:old")));

        List<PropagationSeries.Point> series = PropagationSeries.of(Observations.EXPECTED, polls);

        assertThat(series)
                .extracting(PropagationSeries.Point::at)
                .containsExactly(t0, t0.plusSeconds(30), t0.plusSeconds(60));
        assertThat(series).extracting(PropagationSeries.Point::resolversOnNew).containsExactly(0, 0, 1);
        assertThat(series)
                .extracting(PropagationSeries.Point::authoritativeOnNew)
                .containsExactly(0, 1, 1);
    }
}
