package io.mxcutover.appliance.window;

import static io.mxcutover.appliance.window.WindowState.CLOSED;
import static io.mxcutover.appliance.window.WindowState.MX_SWITCH_NOT_SEEN;
import static io.mxcutover.appliance.window.WindowState.OPEN;
import static io.mxcutover.appliance.window.WindowState.WAITING_FOR_RESOLVERS;
import static io.mxcutover.appliance.window.WindowTerm.CUTOVER;
import static io.mxcutover.appliance.window.WindowTerm.EXTENSION;
import static io.mxcutover.appliance.window.WindowTerm.FORCED_CLOSE;
import static io.mxcutover.appliance.window.WindowTerm.MX_SWITCH;
import static io.mxcutover.appliance.window.WindowTerm.QUIET_PERIOD;
import static io.mxcutover.appliance.window.WindowTerm.RESOLVERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CatchUpWindowTest {

    private static final Instant CUT = t("2026-11-20T12:00:00Z");
    private static final Instant MX = t("2026-11-20T10:00:00Z");
    private static final Instant MX_PLUS_48H = t("2026-11-22T10:00:00Z");
    private static final Duration TTL = Duration.ofHours(1);

    /** MX switched two hours before cutover, resolvers converged half an hour later: the usual case. */
    private static final WindowInputs USUAL = WindowInputs.startingAt(CUT)
            .withMxSwitchSeenAt(MX)
            .withResolversConvergedAt(t("2026-11-20T10:30:00Z"), TTL);

    /** MX switched weeks before cutover (step 2 of the plan): only cutover and legacy activity matter. */
    private static final WindowInputs EARLY_SWITCH = WindowInputs.startingAt(CUT)
            .withMxSwitchSeenAt(t("2026-11-01T08:00:00Z"))
            .withResolversConvergedAt(t("2026-11-01T09:00:00Z"), Duration.ofHours(4));

    static Stream<Arguments> rows() {
        return Stream.of(
                // --- MX switch + length wins
                row("mx+48h, shortly after cutover", USUAL, "2026-11-20T13:00:00Z", OPEN, MX_PLUS_48H, MX_SWITCH),
                row("mx+48h, one second before", USUAL, "2026-11-22T09:59:59Z", OPEN, MX_PLUS_48H, MX_SWITCH),
                row("mx+48h, at the instant", USUAL, "2026-11-22T10:00:00Z", CLOSED, MX_PLUS_48H, MX_SWITCH),
                row("mx+48h, a day later", USUAL, "2026-11-23T10:00:00Z", CLOSED, MX_PLUS_48H, MX_SWITCH),
                row("mx+48h, now before cutover", USUAL, "2026-11-20T11:00:00Z", OPEN, MX_PLUS_48H, MX_SWITCH),
                row(
                        "mx+72h configured",
                        USUAL.withLength(Duration.ofHours(72)),
                        "2026-11-22T11:00:00Z",
                        OPEN,
                        t("2026-11-23T10:00:00Z"),
                        MX_SWITCH),
                row(
                        "mx switched at go-live, after cutover",
                        WindowInputs.startingAt(CUT)
                                .withMxSwitchSeenAt(t("2026-11-20T12:05:00Z"))
                                .withResolversConvergedAt(t("2026-11-20T14:00:00Z"), TTL),
                        "2026-11-22T12:04:59Z",
                        OPEN,
                        t("2026-11-22T12:05:00Z"),
                        MX_SWITCH),
                row(
                        "legacy quiet long before the mx term",
                        USUAL.withLastNewOnLegacyAt(t("2026-11-20T12:30:00Z")),
                        "2026-11-21T00:00:00Z",
                        OPEN,
                        MX_PLUS_48H,
                        MX_SWITCH),
                // --- cutover wins
                row("early switch, at cutover", EARLY_SWITCH, "2026-11-20T12:00:00Z", CLOSED, CUT, CUTOVER),
                row("early switch, before cutover", EARLY_SWITCH, "2026-11-20T11:59:59Z", OPEN, CUT, CUTOVER),
                row(
                        "zero length, switch at cutover",
                        WindowInputs.startingAt(CUT)
                                .withMxSwitchSeenAt(CUT)
                                .withLength(Duration.ZERO)
                                .withResolversConvergedAt(CUT, Duration.ZERO),
                        "2026-11-20T12:00:00Z",
                        CLOSED,
                        CUT,
                        CUTOVER),
                row(
                        "tie cutover = mx+length goes to cutover",
                        WindowInputs.startingAt(CUT)
                                .withMxSwitchSeenAt(t("2026-11-18T12:00:00Z"))
                                .withResolversConvergedAt(t("2026-11-18T12:00:00Z"), TTL),
                        "2026-11-20T12:00:00Z",
                        CLOSED,
                        CUT,
                        CUTOVER),
                // --- resolvers + old TTL wins
                row(
                        "slow resolver, big old TTL",
                        USUAL.withResolversConvergedAt(t("2026-11-21T10:00:00Z"), Duration.ofDays(2)),
                        "2026-11-22T10:00:00Z",
                        OPEN,
                        t("2026-11-23T10:00:00Z"),
                        RESOLVERS),
                row(
                        "slow resolver, closed after TTL",
                        USUAL.withResolversConvergedAt(t("2026-11-22T09:00:00Z"), Duration.ofHours(2)),
                        "2026-11-22T11:00:00Z",
                        CLOSED,
                        t("2026-11-22T11:00:00Z"),
                        RESOLVERS),
                row(
                        "early switch, resolvers converge after cutover",
                        EARLY_SWITCH.withResolversConvergedAt(t("2026-11-20T13:00:00Z"), TTL),
                        "2026-11-20T13:30:00Z",
                        OPEN,
                        t("2026-11-20T14:00:00Z"),
                        RESOLVERS),
                row(
                        "tie mx+length = resolvers+ttl goes to mx",
                        USUAL.withResolversConvergedAt(t("2026-11-22T09:00:00Z"), TTL),
                        "2026-11-21T00:00:00Z",
                        OPEN,
                        MX_PLUS_48H,
                        MX_SWITCH),
                // --- last new on legacy + quiet period wins
                row(
                        "stale sender keeps legacy busy",
                        USUAL.withLastNewOnLegacyAt(t("2026-11-22T08:00:00Z")),
                        "2026-11-22T10:00:00Z",
                        OPEN,
                        t("2026-11-22T14:00:00Z"),
                        QUIET_PERIOD),
                row(
                        "stale sender, then quiet for 6h",
                        USUAL.withLastNewOnLegacyAt(t("2026-11-22T08:00:00Z")),
                        "2026-11-22T14:00:00Z",
                        CLOSED,
                        t("2026-11-22T14:00:00Z"),
                        QUIET_PERIOD),
                row(
                        "early switch, legacy busy until cutover",
                        EARLY_SWITCH.withLastNewOnLegacyAt(t("2026-11-20T11:50:00Z")),
                        "2026-11-20T17:00:00Z",
                        OPEN,
                        t("2026-11-20T17:50:00Z"),
                        QUIET_PERIOD),
                row(
                        "early switch, message before cutover already quiet",
                        EARLY_SWITCH.withLastNewOnLegacyAt(t("2026-11-20T05:00:00Z")),
                        "2026-11-20T12:00:00Z",
                        CLOSED,
                        CUT,
                        CUTOVER),
                row(
                        "quiet period 12h configured",
                        USUAL.withLastNewOnLegacyAt(t("2026-11-22T08:00:00Z")).withQuietPeriod(Duration.ofHours(12)),
                        "2026-11-22T19:59:59Z",
                        OPEN,
                        t("2026-11-22T20:00:00Z"),
                        QUIET_PERIOD),
                row(
                        "quiet period zero",
                        EARLY_SWITCH
                                .withLastNewOnLegacyAt(t("2026-11-20T13:00:00Z"))
                                .withQuietPeriod(Duration.ZERO),
                        "2026-11-20T13:00:00Z",
                        CLOSED,
                        t("2026-11-20T13:00:00Z"),
                        QUIET_PERIOD),
                // --- missing inputs
                row(
                        "mx never seen",
                        WindowInputs.startingAt(CUT),
                        "2026-11-20T13:00:00Z",
                        MX_SWITCH_NOT_SEEN,
                        null,
                        MX_SWITCH),
                row(
                        "mx never seen, a year later",
                        WindowInputs.startingAt(CUT),
                        "2027-11-20T13:00:00Z",
                        MX_SWITCH_NOT_SEEN,
                        null,
                        MX_SWITCH),
                row(
                        "mx never seen though resolvers converged",
                        WindowInputs.startingAt(CUT).withResolversConvergedAt(t("2026-11-20T10:00:00Z"), TTL),
                        "2026-11-25T00:00:00Z",
                        MX_SWITCH_NOT_SEEN,
                        null,
                        MX_SWITCH),
                row(
                        "mx never seen, extended",
                        WindowInputs.startingAt(CUT)
                                .withOverrides(WindowOverrides.NONE.plus(
                                        new WindowExtension.By(Duration.ofHours(24), "alice"))),
                        "2026-11-25T00:00:00Z",
                        MX_SWITCH_NOT_SEEN,
                        null,
                        MX_SWITCH),
                row(
                        "resolvers not converged",
                        WindowInputs.startingAt(CUT).withMxSwitchSeenAt(MX),
                        "2026-11-21T00:00:00Z",
                        WAITING_FOR_RESOLVERS,
                        null,
                        RESOLVERS),
                row(
                        "resolvers not converged, long after mx+48h",
                        WindowInputs.startingAt(CUT).withMxSwitchSeenAt(MX),
                        "2026-12-20T00:00:00Z",
                        WAITING_FOR_RESOLVERS,
                        null,
                        RESOLVERS),
                // --- admin extensions
                row(
                        "extended by 24h",
                        USUAL.withOverrides(extendedBy(24)),
                        "2026-11-22T10:00:00Z",
                        OPEN,
                        t("2026-11-23T10:00:00Z"),
                        EXTENSION),
                row(
                        "extended by 24h, then closed",
                        USUAL.withOverrides(extendedBy(24)),
                        "2026-11-23T10:00:00Z",
                        CLOSED,
                        t("2026-11-23T10:00:00Z"),
                        EXTENSION),
                row(
                        "two extensions add up",
                        USUAL.withOverrides(extendedBy(24).plus(new WindowExtension.By(Duration.ofHours(12), "bob"))),
                        "2026-11-23T12:00:00Z",
                        OPEN,
                        t("2026-11-23T22:00:00Z"),
                        EXTENSION),
                row(
                        "extension adds to the quiet term",
                        USUAL.withLastNewOnLegacyAt(t("2026-11-22T08:00:00Z")).withOverrides(extendedBy(2)),
                        "2026-11-22T15:00:00Z",
                        OPEN,
                        t("2026-11-22T16:00:00Z"),
                        EXTENSION),
                row(
                        "extension reopens a closed window",
                        EARLY_SWITCH.withOverrides(extendedBy(1)),
                        "2026-11-20T12:30:00Z",
                        OPEN,
                        t("2026-11-20T13:00:00Z"),
                        EXTENSION),
                row(
                        "until later than the rule",
                        USUAL.withOverrides(until("2026-11-25T00:00:00Z")),
                        "2026-11-24T00:00:00Z",
                        OPEN,
                        t("2026-11-25T00:00:00Z"),
                        EXTENSION),
                row(
                        "until earlier than the rule changes nothing",
                        USUAL.withOverrides(until("2026-11-21T00:00:00Z")),
                        "2026-11-22T10:00:00Z",
                        CLOSED,
                        MX_PLUS_48H,
                        MX_SWITCH),
                row(
                        "latest of two untils",
                        USUAL.withOverrides(until("2026-11-25T00:00:00Z")
                                .plus(new WindowExtension.Until(t("2026-11-26T00:00:00Z"), "bob"))),
                        "2026-11-25T12:00:00Z",
                        OPEN,
                        t("2026-11-26T00:00:00Z"),
                        EXTENSION),
                row(
                        "until beats extended rule",
                        USUAL.withOverrides(
                                extendedBy(24).plus(new WindowExtension.Until(t("2026-11-24T00:00:00Z"), "bob"))),
                        "2026-11-23T12:00:00Z",
                        OPEN,
                        t("2026-11-24T00:00:00Z"),
                        EXTENSION),
                row(
                        "extended rule beats until",
                        USUAL.withOverrides(
                                extendedBy(48).plus(new WindowExtension.Until(t("2026-11-24T00:00:00Z"), "bob"))),
                        "2026-11-24T00:00:00Z",
                        OPEN,
                        t("2026-11-24T10:00:00Z"),
                        EXTENSION),
                row(
                        "extension while resolvers pending",
                        WindowInputs.startingAt(CUT).withMxSwitchSeenAt(MX).withOverrides(extendedBy(24)),
                        "2026-11-30T00:00:00Z",
                        WAITING_FOR_RESOLVERS,
                        null,
                        RESOLVERS),
                // --- forced close
                row(
                        "forced close while open",
                        USUAL.withOverrides(forced("2026-11-21T09:00:00Z")),
                        "2026-11-21T09:00:00Z",
                        CLOSED,
                        t("2026-11-21T09:00:00Z"),
                        FORCED_CLOSE),
                row(
                        "forced close beats extensions",
                        USUAL.withOverrides(
                                extendedBy(240).closedBy(new ForcedClose(t("2026-11-21T09:00:00Z"), "carol"))),
                        "2026-11-21T10:00:00Z",
                        CLOSED,
                        t("2026-11-21T09:00:00Z"),
                        FORCED_CLOSE),
                row(
                        "forced close though mx never seen",
                        WindowInputs.startingAt(CUT).withOverrides(forced("2026-11-21T09:00:00Z")),
                        "2026-11-21T09:00:00Z",
                        CLOSED,
                        t("2026-11-21T09:00:00Z"),
                        FORCED_CLOSE),
                row(
                        "forced close though resolvers pending",
                        WindowInputs.startingAt(CUT)
                                .withMxSwitchSeenAt(MX)
                                .withOverrides(forced("2026-11-21T09:00:00Z")),
                        "2026-11-21T09:00:00Z",
                        CLOSED,
                        t("2026-11-21T09:00:00Z"),
                        FORCED_CLOSE),
                row(
                        "forced close closes regardless of now",
                        USUAL.withOverrides(forced("2026-11-21T09:00:00Z")),
                        "2026-11-21T08:59:00Z",
                        CLOSED,
                        t("2026-11-21T09:00:00Z"),
                        FORCED_CLOSE),
                row(
                        "forced close before the legacy quiet period ends",
                        USUAL.withLastNewOnLegacyAt(t("2026-11-21T08:00:00Z"))
                                .withOverrides(forced("2026-11-21T09:00:00Z")),
                        "2026-11-21T09:00:00Z",
                        CLOSED,
                        t("2026-11-21T09:00:00Z"),
                        FORCED_CLOSE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void catchUpWindowShouldCloseAtLatestTermWhenEvaluated(
            String name, WindowInputs in, Instant now, WindowState state, Instant closesAt, WindowTerm decidedBy) {
        WindowVerdict verdict = CatchUpWindow.evaluate(in, now);

        assertThat(verdict.state()).as("state").isEqualTo(state);
        assertThat(verdict.closesAt()).as("closes at").isEqualTo(Optional.ofNullable(closesAt));
        assertThat(verdict.decidedBy()).as("decided by").isEqualTo(decidedBy);
        assertThat(verdict.closed()).isEqualTo(state == CLOSED);
        assertThat(verdict.reason()).isNotBlank();
    }

    @Test
    void catchUpWindowShouldNameMxSwitchAndLengthWhenThatTermDecides() {
        WindowVerdict verdict = CatchUpWindow.evaluate(USUAL, CUT);

        assertThat(verdict.reason()).isEqualTo("MX switch seen 2026-11-20T10:00Z on all authoritative servers + 48h");
        assertThat(verdict.summary())
                .isEqualTo("open until 2026-11-22T10:00Z: MX switch seen 2026-11-20T10:00Z"
                        + " on all authoritative servers + 48h");
    }

    @Test
    void catchUpWindowShouldSayCheckDnsWhenMxSwitchNeverSeen() {
        WindowVerdict verdict = CatchUpWindow.evaluate(WindowInputs.startingAt(CUT), CUT);

        assertThat(verdict.reason())
                .isEqualTo("will not complete: the MX switch was never seen on all authoritative servers; check DNS");
    }

    @Test
    void catchUpWindowShouldGiveLowerBoundWhenResolversPending() {
        WindowInputs pending = new WindowInputs(
                CUT,
                Optional.of(MX),
                WindowInputs.DEFAULT_LENGTH,
                Optional.empty(),
                Duration.ofMinutes(90),
                Optional.empty(),
                WindowInputs.DEFAULT_QUIET_PERIOD,
                WindowOverrides.NONE);

        WindowVerdict verdict = CatchUpWindow.evaluate(pending, CUT);

        assertThat(verdict.reason())
                .isEqualTo("closing time unknown until every watched resolver returns the"
                        + " new MX set (then + largest old TTL 1h30m); not before 2026-11-22T10:00Z (MX switch seen"
                        + " 2026-11-20T10:00Z on all authoritative servers + 48h)");
    }

    @Test
    void catchUpWindowShouldNameEveryExtenderWhenExtended() {
        WindowVerdict verdict = CatchUpWindow.evaluate(
                USUAL.withOverrides(extendedBy(24).plus(new WindowExtension.By(Duration.ofMinutes(30), "bob"))), CUT);

        assertThat(verdict.reason())
                .isEqualTo("MX switch seen 2026-11-20T10:00Z on all authoritative servers"
                        + " + 48h, extended 24h by alice, 30m by bob");
    }

    @Test
    void catchUpWindowShouldNameAdminWhenForcedClose() {
        WindowVerdict verdict = CatchUpWindow.evaluate(USUAL.withOverrides(forced("2026-11-21T09:00:00Z")), CUT);

        assertThat(verdict.reason()).isEqualTo("closed by carol at 2026-11-21T09:00Z with force");
    }

    @Test
    void windowInputsShouldRejectNegativeDurationsWhenBuilt() {
        assertThatThrownBy(() -> USUAL.withLength(Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window length");
        assertThatThrownBy(() -> USUAL.withQuietPeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quiet period");
        assertThatThrownBy(() -> USUAL.withResolversConvergedAt(MX, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TTL");
    }

    @Test
    void windowExtensionShouldRejectNonPositiveOrAnonymousWhenBuilt() {
        assertThatThrownBy(() -> new WindowExtension.By(Duration.ZERO, "alice"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WindowExtension.By(Duration.ofHours(1), " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user");
        assertThatThrownBy(() -> new ForcedClose(CUT, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void windowVerdictShouldRejectClosingTimeWhenStateHasNone() {
        assertThatThrownBy(() -> new WindowVerdict(MX_SWITCH_NOT_SEEN, Optional.of(CUT), MX_SWITCH, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WindowVerdict(OPEN, Optional.empty(), MX_SWITCH, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Arguments row(
            String name, WindowInputs in, String now, WindowState state, Instant closesAt, WindowTerm decidedBy) {
        return Arguments.of(name, in, t(now), state, closesAt, decidedBy);
    }

    private static WindowOverrides extendedBy(int hours) {
        return WindowOverrides.NONE.plus(new WindowExtension.By(Duration.ofHours(hours), "alice"));
    }

    private static WindowOverrides until(String at) {
        return WindowOverrides.NONE.plus(new WindowExtension.Until(t(at), "alice"));
    }

    private static WindowOverrides forced(String at) {
        return WindowOverrides.NONE.closedBy(new ForcedClose(t(at), "carol"));
    }

    private static Instant t(String iso) {
        return Instant.parse(iso);
    }
}
