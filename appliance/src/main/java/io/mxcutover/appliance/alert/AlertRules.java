package io.mxcutover.appliance.alert;

import io.mxcutover.appliance.cutover.AdminText;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.facts.DnsVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which alerts a new reading calls for, given the one before (pure). Each fires on the edge: when its
 * condition starts to hold, not again while it holds. Readiness and DNS need a reading before (they are
 * about a change); a queue already too old or a window already closing at the first reading alert once
 * (after a restart, again once); bounces count from zero, where the relay's counter starts.
 */
public final class AlertRules {
    private AlertRules() {}

    public static List<Alert> compare(
            Optional<AlertReading> before, AlertReading now, Duration queueAge, Duration windowNotice) {
        List<Alert> out = new ArrayList<>();
        for (AlertReading.Domain n : now.domains()) {
            Optional<AlertReading.Domain> b = before.flatMap(r -> r.domain(n.domain()));
            Instant then = before.map(AlertReading::at).orElse(now.at());
            if (b.isPresent() && b.get().ready().orElse(false) && !n.ready().orElse(true)) {
                out.add(alert(
                        AlertEvent.READINESS_RED,
                        n,
                        now,
                        "readiness turned red after being green: failing " + String.join(", ", n.failing())));
            }
            if (b.isPresent() && regressed(b.get().dns(), n.dns())) {
                out.add(alert(
                        AlertEvent.DNS_REGRESSED,
                        n,
                        now,
                        "DNS verdict " + b.get().dns() + " -> " + n.dns()));
            }
            if (queueOld(n, now.at(), queueAge)
                    && !b.map(x -> queueOld(x, then, queueAge)).orElse(false)) {
                Duration age = Duration.between(n.oldestQueued().orElseThrow(), now.at());
                out.add(alert(
                        AlertEvent.RELAY_QUEUE_OLD,
                        n,
                        now,
                        "the oldest queued message is " + AdminText.span(age) + " old (alerts.queueAge "
                                + AdminText.span(queueAge) + "); see GET /api/v1/queue"));
            }
            if (closing(n, now.at(), windowNotice)
                    && !b.map(x -> closing(x, then, windowNotice)).orElse(false)) {
                Instant closes = n.windowClosesAt().orElseThrow();
                out.add(alert(
                        AlertEvent.WINDOW_CLOSING,
                        n,
                        now,
                        "the catch-up window closes at " + closes + ", in "
                                + AdminText.span(Duration.between(now.at(), closes))
                                + "; extend it (POST /api/v1/domains/" + n.domain()
                                + "/window) if legacy still gets mail"));
            }
        }
        long bouncedBefore = before.map(AlertReading::bounced).orElse(0L);
        if (now.bounced() > bouncedBefore) {
            out.add(Alert.of(
                    AlertEvent.MESSAGE_BOUNCED,
                    "*",
                    Optional.empty(),
                    AdminText.count(now.bounced() - bouncedBefore, "message", "messages") + " bounced since "
                            + before.map(r -> r.at().toString()).orElse("the appliance started")
                            + "; see the relay's log for the recipients",
                    now.at()));
        }
        return out;
    }

    private static Alert alert(AlertEvent event, AlertReading.Domain d, AlertReading now, String detail) {
        return Alert.of(event, d.domain(), Optional.empty(), detail, now.at());
    }

    /** From switched or propagating to anything less: resolvers or authoritative servers went back. */
    static boolean regressed(DnsVerdict before, DnsVerdict now) {
        return rank(before) >= rank(DnsVerdict.PROPAGATING) && rank(now) < rank(before);
    }

    private static int rank(DnsVerdict v) {
        return switch (v) {
            case SWITCHED -> 3;
            case PROPAGATING -> 2;
            case NOT_SWITCHED -> 1;
            default -> 0;
        };
    }

    private static boolean queueOld(AlertReading.Domain d, Instant at, Duration queueAge) {
        return d.oldestQueued().isPresent()
                && Duration.between(d.oldestQueued().get(), at).compareTo(queueAge) >= 0;
    }

    private static boolean closing(AlertReading.Domain d, Instant at, Duration notice) {
        if (d.phase() != CutoverPhase.CATCHING_UP || d.windowClosesAt().isEmpty()) {
            return false;
        }
        Duration left = Duration.between(at, d.windowClosesAt().get());
        return !left.isNegative() && left.compareTo(notice) <= 0;
    }
}
