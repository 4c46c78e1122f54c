package io.mxcutover.appliance.cutover;

import static io.mxcutover.appliance.cutover.CutoverPhase.CATCHING_UP;
import static io.mxcutover.appliance.cutover.CutoverPhase.COMPLETED;
import static io.mxcutover.appliance.cutover.CutoverPhase.RELAYING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.appliance.cutover.Transition.Changed;
import io.mxcutover.appliance.cutover.Transition.Grounds;
import io.mxcutover.appliance.cutover.Transition.Refused;
import io.mxcutover.appliance.cutover.Transition.Unchanged;
import io.mxcutover.appliance.cutover.Transition.WindowExtended;
import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.plan.MxFlow;
import io.mxcutover.appliance.probe.ProbeResult;
import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.readiness.Readiness;
import io.mxcutover.appliance.readiness.ReadinessInputs;
import io.mxcutover.appliance.window.CatchUpWindow;
import io.mxcutover.appliance.window.WindowInputs;
import io.mxcutover.appliance.window.WindowState;
import io.mxcutover.appliance.window.WindowTerm;
import io.mxcutover.appliance.window.WindowVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CutoverMachineTest {

    private static final Instant CUT = Instant.parse("2026-11-20T12:00:00Z");
    private static final WindowInputs SWITCHED = WindowInputs.startingAt(CUT)
            .withMxSwitchSeenAt(Instant.parse("2026-11-20T10:00:00Z"))
            .withResolversConvergedAt(Instant.parse("2026-11-20T10:30:00Z"), Duration.ofHours(1));

    private static final Readiness READY = Readiness.evaluate(new ReadinessInputs(
            "example.org",
            List.of(MailboxProgress.verified("anna@example.org", true, 0, CUT)),
            ProbeResult.reachable("220"),
            ProbeResult.reachable("OK"),
            0,
            DnsVerdict.NOT_SWITCHED,
            "",
            CUT,
            Duration.ofHours(24),
            MxFlow.SWITCH_AT_GO_LIVE));
    private static final Readiness NOT_READY = Readiness.evaluate(new ReadinessInputs(
            "example.org",
            List.of(MailboxProgress.verified("anna@example.org", false, 4, CUT)),
            ProbeResult.reachable("220"),
            ProbeResult.unreachable("connection refused"),
            0,
            DnsVerdict.SWITCHED,
            "",
            CUT,
            Duration.ofHours(24),
            MxFlow.SWITCH_AT_GO_LIVE));
    private static final Readiness UNKNOWN = Readiness.notEvaluated();

    private static final WindowVerdict OPEN = CatchUpWindow.evaluate(SWITCHED, CUT);
    private static final WindowVerdict CLOSED = CatchUpWindow.evaluate(SWITCHED, CUT.plus(Duration.ofDays(3)));
    private static final WindowVerdict NO_MX = CatchUpWindow.evaluate(WindowInputs.startingAt(CUT), CUT);
    private static final WindowVerdict RESOLVERS =
            CatchUpWindow.evaluate(WindowInputs.startingAt(CUT).withMxSwitchSeenAt(CUT), CUT);
    private static final WindowVerdict NONE = WindowVerdict.notStarted();

    private static final Command CUTOVER = new Command.Cutover("go-live ticket 4711", false, "alice");
    private static final Command CUTOVER_FORCED = new Command.Cutover("go-live ticket 4711", true, "alice");
    private static final Command ROLLBACK = new Command.Rollback("new server bounces", "alice");
    private static final Command CLOSE = new Command.CloseWindow(false, "alice");
    private static final Command CLOSE_FORCED = new Command.CloseWindow(true, "alice");
    private static final Command EXTEND = new Command.ExtendWindow(Duration.ofHours(24), "alice");
    private static final Command TICK = new Command.Tick();

    static Stream<Arguments> rows() {
        return Stream.of(
                // RELAYING
                row(RELAYING, CUTOVER, READY, NONE, "Changed CATCHING_UP"),
                row(RELAYING, CUTOVER_FORCED, READY, NONE, "Changed CATCHING_UP"),
                row(RELAYING, CUTOVER, NOT_READY, NONE, "Refused NOT_READY"),
                row(RELAYING, CUTOVER_FORCED, NOT_READY, NONE, "Changed CATCHING_UP"),
                row(RELAYING, CUTOVER, UNKNOWN, NONE, "Refused NOT_READY"),
                row(RELAYING, CUTOVER_FORCED, UNKNOWN, NONE, "Changed CATCHING_UP"),
                row(RELAYING, CUTOVER, READY, OPEN, "Changed CATCHING_UP"),
                row(RELAYING, ROLLBACK, READY, NONE, "Unchanged RELAYING"),
                row(RELAYING, ROLLBACK, UNKNOWN, NONE, "Unchanged RELAYING"),
                row(RELAYING, CLOSE, UNKNOWN, NONE, "Refused NOT_ALLOWED_IN_PHASE"),
                row(RELAYING, CLOSE_FORCED, UNKNOWN, NONE, "Refused NOT_ALLOWED_IN_PHASE"),
                row(RELAYING, CLOSE, UNKNOWN, CLOSED, "Refused NOT_ALLOWED_IN_PHASE"),
                row(RELAYING, EXTEND, UNKNOWN, NONE, "Refused NOT_ALLOWED_IN_PHASE"),
                row(RELAYING, TICK, UNKNOWN, NONE, "Unchanged RELAYING"),
                row(RELAYING, TICK, UNKNOWN, CLOSED, "Unchanged RELAYING"),
                // CATCHING_UP
                row(CATCHING_UP, CUTOVER, READY, OPEN, "Unchanged CATCHING_UP"),
                row(CATCHING_UP, CUTOVER, NOT_READY, OPEN, "Unchanged CATCHING_UP"),
                row(CATCHING_UP, CUTOVER_FORCED, UNKNOWN, CLOSED, "Unchanged CATCHING_UP"),
                row(CATCHING_UP, ROLLBACK, UNKNOWN, OPEN, "Changed RELAYING"),
                row(CATCHING_UP, ROLLBACK, UNKNOWN, CLOSED, "Changed RELAYING"),
                row(CATCHING_UP, ROLLBACK, NOT_READY, NO_MX, "Changed RELAYING"),
                row(CATCHING_UP, CLOSE, UNKNOWN, OPEN, "Refused WINDOW_STILL_OPEN"),
                row(CATCHING_UP, CLOSE, UNKNOWN, NO_MX, "Refused WINDOW_STILL_OPEN"),
                row(CATCHING_UP, CLOSE, UNKNOWN, RESOLVERS, "Refused WINDOW_STILL_OPEN"),
                row(CATCHING_UP, CLOSE, UNKNOWN, NONE, "Refused WINDOW_STILL_OPEN"),
                row(CATCHING_UP, CLOSE, UNKNOWN, CLOSED, "Changed COMPLETED"),
                row(CATCHING_UP, CLOSE_FORCED, UNKNOWN, OPEN, "Changed COMPLETED"),
                row(CATCHING_UP, CLOSE_FORCED, UNKNOWN, NO_MX, "Changed COMPLETED"),
                row(CATCHING_UP, CLOSE_FORCED, UNKNOWN, RESOLVERS, "Changed COMPLETED"),
                row(CATCHING_UP, CLOSE_FORCED, UNKNOWN, CLOSED, "Changed COMPLETED"),
                row(CATCHING_UP, EXTEND, UNKNOWN, OPEN, "WindowExtended CATCHING_UP"),
                row(CATCHING_UP, EXTEND, UNKNOWN, CLOSED, "WindowExtended CATCHING_UP"),
                row(CATCHING_UP, EXTEND, UNKNOWN, NO_MX, "WindowExtended CATCHING_UP"),
                row(CATCHING_UP, EXTEND, UNKNOWN, RESOLVERS, "WindowExtended CATCHING_UP"),
                row(CATCHING_UP, TICK, UNKNOWN, OPEN, "Unchanged CATCHING_UP"),
                row(CATCHING_UP, TICK, UNKNOWN, NO_MX, "Unchanged CATCHING_UP"),
                row(CATCHING_UP, TICK, UNKNOWN, RESOLVERS, "Unchanged CATCHING_UP"),
                row(CATCHING_UP, TICK, UNKNOWN, NONE, "Unchanged CATCHING_UP"),
                row(CATCHING_UP, TICK, UNKNOWN, CLOSED, "Changed COMPLETED"),
                // COMPLETED
                row(COMPLETED, CUTOVER, READY, CLOSED, "Unchanged COMPLETED"),
                row(COMPLETED, CUTOVER_FORCED, NOT_READY, CLOSED, "Unchanged COMPLETED"),
                row(COMPLETED, ROLLBACK, READY, CLOSED, "Refused NOT_ALLOWED_IN_PHASE"),
                row(COMPLETED, ROLLBACK, UNKNOWN, OPEN, "Refused NOT_ALLOWED_IN_PHASE"),
                row(COMPLETED, CLOSE, UNKNOWN, CLOSED, "Unchanged COMPLETED"),
                row(COMPLETED, CLOSE_FORCED, UNKNOWN, OPEN, "Unchanged COMPLETED"),
                row(COMPLETED, EXTEND, UNKNOWN, CLOSED, "Refused NOT_ALLOWED_IN_PHASE"),
                row(COMPLETED, TICK, UNKNOWN, CLOSED, "Unchanged COMPLETED"),
                row(COMPLETED, TICK, UNKNOWN, OPEN, "Unchanged COMPLETED"));
    }

    @ParameterizedTest(name = "{0} + {1} ({2}, window {3}) -> {4}")
    @MethodSource("rows")
    void cutoverMachineShouldDecideEachPhaseAndCommandWhenApplied(
            CutoverPhase current, Command cmd, Readiness readiness, WindowVerdict window, String expected) {
        Transition transition = CutoverMachine.apply(current, cmd, readiness, window);

        assertThat(describe(transition)).isEqualTo(expected);
        if (transition instanceof Changed changed) {
            assertThat(changed.from()).isEqualTo(current);
            assertThat(changed.auditText()).contains(cmd.user());
        }
        if (transition instanceof Refused refused) {
            assertThat(refused.failingChecks())
                    .hasSize(
                            refused.grounds() == Grounds.NOT_READY
                                    ? readiness.failing().size()
                                    : 0);
        }
    }

    @Test
    void rowsShouldCoverEveryPhaseAndCommandWhenListed() {
        Set<String> covered = rows().map(
                        row -> row.get()[0] + " " + row.get()[1].getClass().getSimpleName())
                .collect(Collectors.toSet());

        assertThat(covered).hasSize(CutoverPhase.values().length * 5);
    }

    @Test
    void cutoverShouldListFailingChecksWhenRefused() {
        Refused refused = (Refused) CutoverMachine.apply(RELAYING, CUTOVER, NOT_READY, NONE);

        assertThat(refused.failingChecks())
                .extracting(Check::name)
                .containsExactly(Check.HISTORY, Check.VERIFICATION, Check.NEW_IMAP);
        assertThat(refused.reason())
                .isEqualTo("cutover refused: 3 checks fail (history, verification,"
                        + " new-imap); fix them, or pass force to cut over anyway");
    }

    @Test
    void cutoverShouldAuditOverriddenChecksWhenForced() {
        Changed changed = (Changed) CutoverMachine.apply(RELAYING, CUTOVER_FORCED, NOT_READY, NONE);

        assertThat(changed.auditText())
                .startsWith("cutover by alice with force: \"go-live ticket 4711\";"
                        + " forced past failing checks: history FAIL: 1 of 1 mailboxes has not")
                .contains("new-imap FAIL: new IMAP target does not answer: connection refused");
    }

    @Test
    void cutoverShouldAuditWarningsWhenReady() {
        Changed changed = (Changed) CutoverMachine.apply(RELAYING, CUTOVER, READY, NONE);

        assertThat(changed.auditText())
                .isEqualTo("cutover by alice: \"go-live ticket 4711\"; preflight passed"
                        + " (warnings: dns); the relay delivers to new from its next attempt");
    }

    @Test
    void cutoverShouldBeIdempotentWhenRepeated() {
        Transition first = CutoverMachine.apply(RELAYING, CUTOVER, READY, NONE);
        Transition again = CutoverMachine.apply(first.phase(), CUTOVER, READY, OPEN);

        assertThat(again).isInstanceOf(Unchanged.class);
        assertThat(again.phase()).isEqualTo(CATCHING_UP);
        assertThat(((Unchanged) again).why())
                .isEqualTo("already cut over; catch-up window open until"
                        + " 2026-11-22T10:00Z: MX switch seen 2026-11-20T10:00Z on all authoritative servers + 48h");
    }

    @Test
    void rollbackShouldBeRefusedWhenCompleted() {
        Refused refused = (Refused) CutoverMachine.apply(COMPLETED, ROLLBACK, UNKNOWN, CLOSED);

        assertThat(refused.grounds()).isEqualTo(Grounds.NOT_ALLOWED_IN_PHASE);
        assertThat(refused.reason()).startsWith("rollback not allowed from COMPLETED");
    }

    @Test
    void closeWindowShouldSayCheckDnsWhenMxNeverSeenAndNotForced() {
        Refused refused = (Refused) CutoverMachine.apply(CATCHING_UP, CLOSE, UNKNOWN, NO_MX);

        assertThat(refused.reason())
                .isEqualTo("catch-up window will not complete: the MX switch was"
                        + " never seen on all authoritative servers; check DNS; pass force to close it now");
    }

    @Test
    void extendWindowShouldCarryDurationWhenCatchingUp() {
        WindowExtended extended = (WindowExtended) CutoverMachine.apply(CATCHING_UP, EXTEND, UNKNOWN, OPEN);

        assertThat(extended.by()).isEqualTo(Duration.ofHours(24));
        assertThat(extended.auditText()).startsWith("catch-up window extended by 24h by alice (was: open until");
    }

    @Test
    void tickShouldCompleteWithWindowReasonWhenWindowClosed() {
        Changed changed = (Changed) CutoverMachine.apply(CATCHING_UP, TICK, UNKNOWN, CLOSED);

        assertThat(changed.auditText())
                .isEqualTo("completed by mxcutover: catch-up window closed at 2026-11-22T10:00Z: MX switch seen"
                        + " 2026-11-20T10:00Z on all authoritative servers + 48h; sync for the domain stops; legacy may be"
                        + " switched off");
        assertThat(new Command.Tick().user()).isEqualTo(Command.SYSTEM_USER);
    }

    @Test
    void commandShouldRecordMissingReasonWhenNoneGiven() {
        Changed changed = (Changed) CutoverMachine.apply(CATCHING_UP, new Command.Rollback(null, "bob"), UNKNOWN, OPEN);

        assertThat(changed.auditText()).startsWith("rollback by bob: no reason given;");
    }

    @Test
    void commandShouldRejectAnonymousUserWhenBuilt() {
        assertThatThrownBy(() -> new Command.Cutover("x", false, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Command.ExtendWindow(Duration.ZERO, "alice"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Changed(RELAYING, RELAYING, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WindowVerdict(WindowState.CLOSED, Optional.empty(), WindowTerm.CUTOVER, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String describe(Transition transition) {
        if (transition instanceof Refused refused) {
            return "Refused " + refused.grounds();
        }
        return transition.getClass().getSimpleName() + " " + transition.phase();
    }

    private static Arguments row(
            CutoverPhase current, Command cmd, Readiness readiness, WindowVerdict window, String expected) {
        return Arguments.of(
                current,
                cmd,
                readiness.equals(READY)
                        ? named(READY, "ready")
                        : readiness.equals(NOT_READY) ? named(NOT_READY, "not ready") : named(UNKNOWN, "no preflight"),
                named(window, window.state().name()),
                expected);
    }

    private static <T> org.junit.jupiter.api.Named<T> named(T payload, String name) {
        return org.junit.jupiter.api.Named.of(name, payload);
    }
}
