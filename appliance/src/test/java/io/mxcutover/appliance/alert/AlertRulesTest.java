package io.mxcutover.appliance.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.facts.DnsVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertRulesTest {
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    static final Instant T1 = T0.plusSeconds(60);
    static final Duration QUEUE_AGE = Duration.ofHours(1);
    static final Duration NOTICE = Duration.ofHours(2);

    static AlertReading.Domain relaying(Optional<Boolean> ready, DnsVerdict dns, Optional<Instant> oldest) {
        return new AlertReading.Domain(
                "example.org",
                CutoverPhase.RELAYING,
                ready,
                ready.orElse(true) ? List.of() : List.of("history", "new-smtp"),
                dns,
                oldest,
                Optional.empty());
    }

    static AlertReading.Domain catchingUp(Optional<Instant> closes) {
        return new AlertReading.Domain(
                "example.org",
                CutoverPhase.CATCHING_UP,
                Optional.empty(),
                List.of(),
                DnsVerdict.SWITCHED,
                Optional.empty(),
                closes);
    }

    static final AlertReading.Domain GREEN = relaying(Optional.of(true), DnsVerdict.SWITCHED, Optional.empty());

    static Stream<Arguments> rows() {
        Optional<Instant> oldQueue = Optional.of(T1.minus(QUEUE_AGE));
        Optional<Instant> youngQueue = Optional.of(T1.minusSeconds(60));
        return Stream.of(
                Arguments.of("nothing changed", GREEN, GREEN, 0, 0, ""),
                Arguments.of(
                        "readiness green -> red",
                        GREEN,
                        relaying(Optional.of(false), DnsVerdict.SWITCHED, Optional.empty()),
                        0,
                        0,
                        "readiness-red example.org: readiness turned red after being green: failing history, new-smtp"),
                Arguments.of(
                        "readiness red -> red: no second alert",
                        relaying(Optional.of(false), DnsVerdict.SWITCHED, Optional.empty()),
                        relaying(Optional.of(false), DnsVerdict.SWITCHED, Optional.empty()),
                        0,
                        0,
                        ""),
                Arguments.of(
                        "readiness green -> not evaluated (cut over): not red",
                        GREEN,
                        catchingUp(Optional.empty()),
                        0,
                        0,
                        ""),
                Arguments.of(
                        "dns switched -> propagating",
                        GREEN,
                        relaying(Optional.of(true), DnsVerdict.PROPAGATING, Optional.empty()),
                        0,
                        0,
                        "dns-regressed example.org: DNS verdict SWITCHED -> PROPAGATING"),
                Arguments.of(
                        "dns propagating -> unknown",
                        relaying(Optional.of(true), DnsVerdict.PROPAGATING, Optional.empty()),
                        relaying(Optional.of(true), DnsVerdict.UNKNOWN, Optional.empty()),
                        0,
                        0,
                        "dns-regressed example.org: DNS verdict PROPAGATING -> UNKNOWN"),
                Arguments.of(
                        "dns not switched -> propagating is progress",
                        relaying(Optional.of(true), DnsVerdict.NOT_SWITCHED, Optional.empty()),
                        relaying(Optional.of(true), DnsVerdict.PROPAGATING, Optional.empty()),
                        0,
                        0,
                        ""),
                Arguments.of(
                        "queue turns old",
                        relaying(Optional.of(true), DnsVerdict.SWITCHED, youngQueue),
                        relaying(Optional.of(true), DnsVerdict.SWITCHED, oldQueue),
                        0,
                        0,
                        "relay-queue-old example.org: the oldest queued message is 1h old (alerts.queueAge 1h);"
                                + " see GET /api/v1/queue"),
                Arguments.of(
                        "queue still old: no second alert",
                        relaying(Optional.of(true), DnsVerdict.SWITCHED, Optional.of(T0.minus(QUEUE_AGE))),
                        relaying(Optional.of(true), DnsVerdict.SWITCHED, Optional.of(T0.minus(QUEUE_AGE))),
                        0,
                        0,
                        ""),
                Arguments.of(
                        "window enters the notice",
                        catchingUp(Optional.of(T1.plus(NOTICE))),
                        catchingUp(Optional.of(T1.plus(NOTICE))),
                        0,
                        0,
                        "window-closing example.org: the catch-up window closes at 2026-11-20T10:01:00Z, in 2h;"
                                + " extend it (POST /api/v1/domains/example.org/window) if legacy still gets mail"),
                Arguments.of(
                        "window far away",
                        catchingUp(Optional.of(T1.plus(NOTICE).plusSeconds(1))),
                        catchingUp(Optional.of(T1.plus(NOTICE).plusSeconds(1))),
                        0,
                        0,
                        ""),
                Arguments.of(
                        "bounces grew",
                        GREEN,
                        GREEN,
                        2,
                        5,
                        "message-bounced *: 3 messages bounced since 2026-11-20T08:00:00Z; see the relay's log for"
                                + " the recipients"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void compareShouldAlertOnceWhenAConditionStartsToHold(
            String name,
            AlertReading.Domain before,
            AlertReading.Domain now,
            long bouncedBefore,
            long bounced,
            String expected) {
        List<Alert> alerts = AlertRules.compare(
                Optional.of(new AlertReading(T0, List.of(before), bouncedBefore)),
                new AlertReading(T1, List.of(now), bounced),
                QUEUE_AGE,
                NOTICE);

        assertThat(alerts.stream().map(Alert::toString).toList())
                .containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected));
        assertThat(alerts).allSatisfy(a -> assertThat(a.at()).isEqualTo(T1));
    }

    @Test
    void compareShouldNotJudgeChangesWithoutAReadingBefore() {
        AlertReading first = new AlertReading(
                T1, List.of(relaying(Optional.of(false), DnsVerdict.UNKNOWN, Optional.of(T0.minus(QUEUE_AGE)))), 0);

        assertThat(AlertRules.compare(Optional.empty(), first, QUEUE_AGE, NOTICE))
                .extracting(Alert::event)
                .containsExactly(AlertEvent.RELAY_QUEUE_OLD);
    }
}
