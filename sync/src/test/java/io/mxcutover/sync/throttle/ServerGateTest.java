package io.mxcutover.sync.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.it.MutableClock;
import io.mxcutover.sync.run.Backoff;
import io.mxcutover.sync.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerGateTest {
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

    /** throttles in a row (each seen when the gate had reopened) | server text | gate closed for seconds. */
    @ParameterizedTest(name = "{0} throttle(s) ''{1}'' -> closed {2}s")
    @CsvSource(
            delimiter = '|',
            value = {
                "1 | NO [THROTTLED] slow down                                          | 5",
                "2 | NO [LIMIT] too many commands                                      | 10",
                "4 | NO [THROTTLED]                                                    | 40",
                "9 | * BYE server overloaded                                           | 600",
                "1 | NO Request is throttled. Suggested Backoff Time: 30000 milliseconds | 30",
            })
    void gateShouldCloseLongerPerStrikeAndHonourHintWhenServerThrottlesAgain(int strikes, String text, long seconds) {
        ServerGate gate = ServerGate.OPEN;
        Instant now = T0;
        for (int i = 0; i < strikes; i++) {
            now = now.plus(gate.waitAt(now));
            gate = gate.throttled(now, text, BACKOFF);
        }
        assertThat(gate.strikes()).isEqualTo(strikes);
        assertThat(gate.waitAt(now)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void gateShouldNotCountSecondStrikeWhenAnotherMailboxIsThrottledWhileClosed() {
        ServerGate first = ServerGate.OPEN.throttled(T0, "NO [THROTTLED]", BACKOFF);
        ServerGate second = first.throttled(T0.plusSeconds(1), "NO [THROTTLED]", BACKOFF);

        assertThat(second.strikes()).isEqualTo(1);
        assertThat(second.closedUntil()).isEqualTo(T0.plusSeconds(6));
    }

    @Test
    void gateShouldNeverReopenEarlierWhenLaterThrottleAsksLess() {
        ServerGate gate = ServerGate.OPEN.throttled(T0, "Suggested Backoff Time: 60000 milliseconds", BACKOFF);
        ServerGate after = gate.throttled(T0.plusSeconds(1), "NO [THROTTLED]", BACKOFF);

        assertThat(after.closedUntil()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void gateShouldResetStrikesWhenPassGotThroughAfterReopening() {
        ServerGate gate = ServerGate.OPEN.throttled(T0, "x", BACKOFF).throttled(T0.plusSeconds(5), "x", BACKOFF);

        assertThat(gate.passed(T0.plusSeconds(6)).strikes()).as("still closed").isEqualTo(2);
        ServerGate reopened = gate.passed(T0.plusSeconds(16));
        assertThat(reopened.strikes()).isZero();
        assertThat(reopened.throttled(T0.plusSeconds(20), "x", BACKOFF).waitAt(T0.plusSeconds(20)))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void gatesShouldMakeEveryMailboxOfServerWaitWhenOneWasThrottled() {
        ServerGates gates = new ServerGates(Clock.fixed(T0, ZoneOffset.UTC), BACKOFF);

        gates.throttled("legacy.example:143", "NO [LIMIT] Too many connections");

        assertThat(gates.waitFor("legacy.example:143")).isEqualTo(Duration.ofSeconds(5));
        assertThat(gates.waitFor("new.example:143")).isZero();
        gates.throttled("", "unknown server");
        assertThat(gates.waitFor("")).isZero();
    }

    @Test
    void awaitShouldSleepOnClockUntilGateReopensWhenServerAskedForThirtySeconds() throws InterruptedException {
        MutableClock clock = new MutableClock(T0);
        List<Duration> sleeps = new ArrayList<>();
        Sleeper movesClock = d -> {
            sleeps.add(d);
            clock.advance(d);
        };
        ServerGates gates = new ServerGates(clock, movesClock, BACKOFF);
        gates.throttled("legacy.example:143", "NO Request is throttled. Suggested Backoff Time: 30000 milliseconds");

        gates.await("legacy.example:143");

        assertThat(sleeps)
                .as("naps of at most 5 s, the gate re-read after each")
                .hasSize(6)
                .allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(5)));
        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(30));
        assertThat(gates.waiting("legacy.example:143")).isZero();
    }

    @Test
    void awaitShouldNotSleepWhenGateIsOpen() throws InterruptedException {
        ServerGates gates = new ServerGates(
                Clock.fixed(T0, ZoneOffset.UTC),
                d -> {
                    throw new AssertionError("slept " + d + " at an open gate");
                },
                BACKOFF);

        gates.await("new.example:143");
    }

    @Test
    void awaitShouldEndWithInterruptedExceptionWhenWaitingThreadIsInterrupted() throws Exception {
        // The clock stands still and the sleeper is the real one: only the interrupt can end this wait.
        ServerGates gates = new ServerGates(new MutableClock(T0), Sleeper.SYSTEM, BACKOFF);
        gates.throttled("legacy.example:143", "NO [THROTTLED]");
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread mailbox = new Thread(
                () -> {
                    try {
                        gates.await("legacy.example:143");
                        ended.set(new AssertionError("await returned at a closed gate"));
                    } catch (Throwable t) {
                        ended.set(t);
                    }
                },
                "mailbox-at-gate");
        mailbox.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gates.waiting("legacy.example:143") == 1);

        mailbox.interrupt();
        mailbox.join(Duration.ofSeconds(10).toMillis());

        assertThat(mailbox.isAlive()).as("the waiting thread ended").isFalse();
        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        assertThat(gates.waiting("legacy.example:143")).isZero();
    }
}
