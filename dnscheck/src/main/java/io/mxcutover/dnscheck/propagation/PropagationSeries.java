package io.mxcutover.dnscheck.propagation;

import io.mxcutover.dnscheck.poll.Observation;
import io.mxcutover.dnscheck.poll.Poll;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Propagation over time, for a chart: per poll, how many authoritative servers and how many watched
 * resolvers returned the new MX set. Pure. A server that gave no usable answer counts in the total and
 * not as "on new" (unknown is not switched), and is also counted in {@code failed} so a chart can say why
 * a line dips.
 */
public final class PropagationSeries {

    private PropagationSeries() {}

    /** One poll's counts. */
    public record Point(
            Instant at, int authoritativeOnNew, int authoritative, int resolversOnNew, int resolvers, int failed) {
        public Point {
            Objects.requireNonNull(at, "at");
        }
    }

    /** One point per poll, oldest first (the polls may come in any order). */
    public static List<Point> of(ExpectedMx expected, List<Poll> polls) {
        List<Point> points = new ArrayList<>(polls.size());
        polls.stream().sorted(Comparator.comparing(Poll::at)).forEach(p -> points.add(point(expected, p)));
        return points;
    }

    static Point point(ExpectedMx expected, Poll poll) {
        int authNew = 0;
        int auth = 0;
        int resNew = 0;
        int res = 0;
        int failed = 0;
        for (Observation o : poll.observations()) {
            MxView view = MxView.of(expected, o.server(), o.mx());
            boolean onNew = view == MxView.NEW;
            if (view == MxView.FAILED || view == MxView.LAME) {
                failed++;
            }
            if (o.server().authoritative()) {
                auth++;
                authNew += onNew ? 1 : 0;
            } else {
                res++;
                resNew += onNew ? 1 : 0;
            }
        }
        return new Point(poll.at(), authNew, auth, resNew, res, failed);
    }
}
