package io.mxcutover.appliance.readiness;

import static io.mxcutover.appliance.facts.MailboxProgress.unverified;
import static io.mxcutover.appliance.facts.MailboxProgress.verified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.appliance.facts.DnsVerdict;
import io.mxcutover.appliance.facts.MailboxProgress;
import io.mxcutover.appliance.facts.Verification;
import io.mxcutover.appliance.plan.MxFlow;
import io.mxcutover.appliance.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ReadinessTest {

    private static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");
    private static final Duration MAX_AGE = Duration.ofHours(24);
    private static final List<MailboxProgress> DONE =
            List.of(verified("anna@example.org", true, 0, NOW), verified("ben@example.org", true, 0, NOW));
    private static final ProbeResult UP = ProbeResult.reachable("answered");
    private static final ProbeResult DOWN = ProbeResult.unreachable("connection refused");

    static Stream<Arguments> rows() {
        return Stream.of(
                row("all green", in(DONE, UP, UP, 0, DnsVerdict.SWITCHED), "PASS PASS PASS PASS PASS PASS", true),
                row(
                        "dns propagating is a warning",
                        in(DONE, UP, UP, 0, DnsVerdict.PROPAGATING),
                        "PASS PASS PASS PASS PASS WARN",
                        true),
                row(
                        "dns not switched is a warning",
                        in(DONE, UP, UP, 0, DnsVerdict.NOT_SWITCHED),
                        "PASS PASS PASS PASS PASS WARN",
                        true),
                row(
                        "dns unknown fails: no observation rules out an unexpected MX",
                        in(DONE, UP, UP, 0, DnsVerdict.UNKNOWN),
                        "PASS PASS PASS PASS PASS FAIL",
                        false),
                row(
                        "dns unexpected fails",
                        in(DONE, UP, UP, 0, DnsVerdict.UNEXPECTED),
                        "PASS PASS PASS PASS PASS FAIL",
                        false),
                row(
                        "one history unfinished",
                        in(
                                List.of(
                                        verified("anna@example.org", true, 0, NOW),
                                        verified("ben@example.org", false, 0, NOW)),
                                UP,
                                UP,
                                0,
                                DnsVerdict.SWITCHED),
                        "FAIL PASS PASS PASS PASS PASS",
                        false),
                row(
                        "history unfinished and not verified",
                        in(List.of(unverified("anna@example.org", false)), UP, UP, 0, DnsVerdict.SWITCHED),
                        "FAIL FAIL PASS PASS PASS PASS",
                        false),
                row(
                        "verified with missing messages",
                        in(
                                List.of(
                                        verified("anna@example.org", true, 3, NOW),
                                        verified("ben@example.org", true, 0, NOW)),
                                UP,
                                UP,
                                0,
                                DnsVerdict.SWITCHED),
                        "PASS FAIL PASS PASS PASS PASS",
                        false),
                row(
                        "history done but never verified",
                        in(List.of(unverified("anna@example.org", true)), UP, UP, 0, DnsVerdict.SWITCHED),
                        "PASS FAIL PASS PASS PASS PASS",
                        false),
                row(
                        "no mailboxes",
                        in(List.of(), UP, UP, 0, DnsVerdict.SWITCHED),
                        "FAIL FAIL PASS PASS PASS PASS",
                        false),
                row(
                        "new smtp down",
                        in(DONE, DOWN, UP, 0, DnsVerdict.SWITCHED),
                        "PASS PASS FAIL PASS PASS PASS",
                        false),
                row(
                        "new imap down",
                        in(DONE, UP, DOWN, 0, DnsVerdict.SWITCHED),
                        "PASS PASS PASS FAIL PASS PASS",
                        false),
                row(
                        "both new targets down",
                        in(DONE, DOWN, DOWN, 0, DnsVerdict.NOT_SWITCHED),
                        "PASS PASS FAIL FAIL PASS WARN",
                        false),
                row(
                        "one message held in the relay",
                        in(DONE, UP, UP, 1, DnsVerdict.SWITCHED),
                        "PASS PASS PASS PASS FAIL PASS",
                        false),
                row(
                        "many messages failing toward new",
                        in(DONE, UP, UP, 250, DnsVerdict.PROPAGATING),
                        "PASS PASS PASS PASS FAIL WARN",
                        false),
                row(
                        "everything wrong",
                        in(List.of(unverified("anna@example.org", false)), DOWN, DOWN, 7, DnsVerdict.UNEXPECTED),
                        "FAIL FAIL FAIL FAIL FAIL FAIL",
                        false),
                row(
                        "a thousand mailboxes done",
                        in(mailboxes(1000, true, 0), UP, UP, 0, DnsVerdict.SWITCHED),
                        "PASS PASS PASS PASS PASS PASS",
                        true),
                row(
                        "a thousand mailboxes, each missing one",
                        in(mailboxes(1000, true, 1), UP, UP, 0, DnsVerdict.NOT_SWITCHED),
                        "PASS FAIL PASS PASS PASS WARN",
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void readinessShouldGradeEachCheckWhenFactsVary(String name, ReadinessInputs in, String states, boolean ready) {
        Readiness readiness = Readiness.evaluate(in);

        assertThat(readiness.checks())
                .extracting(Check::name)
                .containsExactly(
                        Check.HISTORY,
                        Check.VERIFICATION,
                        Check.NEW_SMTP,
                        Check.NEW_IMAP,
                        Check.RELAY_QUEUE,
                        Check.DNS);
        assertThat(readiness.checks().stream()
                        .map(check -> check.state().name())
                        .collect(Collectors.joining(" ")))
                .isEqualTo(states);
        assertThat(readiness.ready()).isEqualTo(ready);
        assertThat(readiness.failing()).allMatch(Check::failed).hasSize((int)
                Stream.of(states.split(" ")).filter("FAIL"::equals).count());
    }

    @Test
    void mailboxChecksShouldNameBatchScopeWhenNoBatchIsStarted() {
        Readiness readiness = Readiness.evaluate(new ReadinessInputs(
                "example.org",
                List.of(),
                UP,
                UP,
                0,
                DnsVerdict.SWITCHED,
                "",
                NOW,
                MAX_AGE,
                MxFlow.SWITCH_AT_GO_LIVE,
                3));

        assertThat(readiness.ready()).isFalse();
        for (String name : List.of(Check.HISTORY, Check.VERIFICATION)) {
            assertThat(check(readiness, name).state()).isEqualTo(CheckState.FAIL);
            assertThat(check(readiness, name).reason())
                    .startsWith("no batch of example.org is started")
                    .contains("3 mailboxes are in batches not started")
                    .contains("start one (POST /api/v1/domains/example.org/batches/{batch}/start)")
                    .endsWith("or set batches.readiness: all-mailboxes")
                    .doesNotContain("import");
        }
    }

    @Test
    void mailboxChecksShouldAskForTheMailboxListWhenNoneIsImported() {
        Readiness readiness = Readiness.evaluate(in(List.of(), UP, UP, 0, DnsVerdict.SWITCHED));

        assertThat(check(readiness, Check.HISTORY).reason()).contains("import the mailbox list");
        assertThat(check(readiness, Check.VERIFICATION).reason()).contains("import the mailbox list");
    }

    @Test
    void readinessShouldNameUnfinishedMailboxesWhenHistoryIncomplete() {
        Readiness readiness = Readiness.evaluate(in(
                List.of(verified("anna@example.org", true, 0, NOW), verified("ben@example.org", false, 0, NOW)),
                UP,
                UP,
                0,
                DnsVerdict.SWITCHED));

        assertThat(check(readiness, Check.HISTORY).reason())
                .isEqualTo("1 of 2 mailboxes has not finished its history copy: ben@example.org");
    }

    @Test
    void readinessShouldCountMailboxesAwaitingTheirUsersWhenImportedWithoutPassword() {
        Readiness readiness = Readiness.evaluate(in(
                List.of(
                        verified("anna@example.org", true, 0, NOW),
                        new MailboxProgress("ben@example.org", false, java.util.Optional.empty(), true),
                        new MailboxProgress("cleo@example.org", false, java.util.Optional.empty(), true),
                        verified("dora@example.org", false, 0, NOW)),
                UP,
                UP,
                0,
                DnsVerdict.SWITCHED));

        assertThat(check(readiness, Check.HISTORY).failed()).isTrue();
        assertThat(check(readiness, Check.HISTORY).reason())
                .startsWith("2 of 4 mailboxes await their users (no legacy password yet: the user logs in once on"
                        + " the self-service page /migrate/")
                .contains("?state=AWAITING_USER): ben@example.org, cleo@example.org")
                .endsWith("; 1 of 4 mailboxes has not finished its history copy: dora@example.org");
    }

    @Test
    void readinessShouldListFirstFewAndCountRestWhenManyMailboxesMissMessages() {
        Readiness readiness = Readiness.evaluate(in(mailboxes(8, true, 2), UP, UP, 0, DnsVerdict.SWITCHED));

        assertThat(check(readiness, Check.VERIFICATION).reason())
                .isEqualTo("16 messages missing on new in"
                        + " 8 mailboxes: u0@example.org (2), u1@example.org (2), u2@example.org (2), u3@example.org (2),"
                        + " u4@example.org (2) and 3 more; let the sync catch up and verify"
                        + " (POST /api/v1/domains/example.org/verify)");
    }

    @Test
    void readinessShouldCarryProbeDetailWhenTargetDown() {
        Readiness readiness = Readiness.evaluate(in(
                DONE, UP, ProbeResult.unreachable("imap.new.example:993: connection refused"), 0, DnsVerdict.SWITCHED));

        assertThat(check(readiness, Check.NEW_IMAP).reason())
                .isEqualTo("new IMAP target does not answer: imap.new.example:993: connection refused");
    }

    @Test
    void readinessShouldPointAtQueueWhenRelayHoldsMail() {
        Readiness readiness = Readiness.evaluate(in(DONE, UP, UP, 3, DnsVerdict.SWITCHED));

        assertThat(check(readiness, Check.RELAY_QUEUE).reason())
                .isEqualTo("3 messages for example.org are held or failing toward new; see GET /api/v1/queue");
    }

    @Test
    void readinessShouldFailWholePreflightWhenNotEvaluated() {
        assertThat(Readiness.notEvaluated().ready()).isFalse();
        assertThat(Readiness.notEvaluated().failing()).extracting(Check::name).containsExactly(Check.PREFLIGHT);
    }

    @Test
    void readinessInputsShouldRejectNegativeCountsWhenBuilt() {
        assertThatThrownBy(() -> in(DONE, UP, UP, -1, DnsVerdict.SWITCHED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> verified("anna@example.org", true, -1, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("anna@example.org");
        assertThatThrownBy(() -> new Check("dns", CheckState.PASS, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> verificationRows() {
        Instant fresh = NOW.minus(Duration.ofHours(1));
        return Stream.of(
                vrow(
                        "clean and recent",
                        List.of(v("a", fresh, "READY", 3, 0, 0)),
                        "PASS",
                        "verification of every mailbox (1) within the last 24h found nothing missing or different on new"),
                vrow(
                        "at the age limit exactly",
                        List.of(v("a", NOW.minus(MAX_AGE), "READY", 3, 0, 0)),
                        "PASS",
                        "verification of every mailbox (1)"),
                vrow(
                        "never run",
                        List.of(MailboxProgress.unverified("a@example.org", true)),
                        "FAIL",
                        "never verified: a@example.org"),
                vrow(
                        "unreachable: no folders, nothing missing, must not pass",
                        List.of(v("a", fresh, "UNREACHABLE", 0, 0, 0)),
                        "FAIL",
                        "verification could not reach a server for a@example.org (why)"),
                vrow(
                        "ready verdict but no folder compared",
                        List.of(v("a", fresh, "READY", 0, 0, 0)),
                        "FAIL",
                        "verification did not complete for a@example.org (READY: why)"),
                vrow(
                        "a verdict the gate does not know",
                        List.of(v("a", fresh, "INTERRUPTED", 2, 0, 0)),
                        "FAIL",
                        "verification did not complete for a@example.org (INTERRUPTED: why)"),
                vrow(
                        "not ready without counts",
                        List.of(v("a", fresh, "NOT_READY", 2, 0, 0)),
                        "FAIL",
                        "verification did not complete for a@example.org (NOT_READY: why)"),
                vrow(
                        "stale by one second",
                        List.of(v("a", NOW.minus(MAX_AGE).minusSeconds(1), "READY", 3, 0, 0)),
                        "FAIL",
                        "verification older than the limit of 24h (cutover.verificationMaxAge) for"
                                + " a@example.org (24h1s ago)"),
                vrow(
                        "stale and missing: stale wins, the old count proves nothing",
                        List.of(v("a", NOW.minus(Duration.ofDays(3)), "NOT_READY", 3, 5, 0)),
                        "FAIL",
                        "older than the limit of 24h (cutover.verificationMaxAge) for a@example.org (72h ago)"),
                vrow(
                        "dated in the future beyond the skew",
                        List.of(v("a", NOW.plus(Duration.ofMinutes(5)), "READY", 3, 0, 0)),
                        "FAIL",
                        "a@example.org (dated 2026-11-20T08:05Z, in the future: check the clock)"),
                vrow(
                        "dated a few seconds ahead: another node's clock",
                        List.of(v("a", NOW.plusSeconds(20), "READY", 3, 0, 0)),
                        "PASS",
                        "verification of every mailbox (1)"),
                vrow(
                        "missing messages",
                        List.of(v("a", fresh, "NOT_READY", 3, 2, 0)),
                        "FAIL",
                        "2 messages missing on new in 1 mailbox: a@example.org (2)"),
                vrow(
                        "content mismatch",
                        List.of(v("a", fresh, "NOT_READY", 3, 0, 1)),
                        "FAIL",
                        "1 copy differs from the source bytes in 1 mailbox: a@example.org (1)"),
                vrow(
                        "no mailbox at all",
                        List.of(),
                        "FAIL",
                        "no mailbox of example.org is known, so nothing was verified"),
                vrow(
                        "one of many unknown names it",
                        List.of(
                                v("a", fresh, "READY", 3, 0, 0),
                                MailboxProgress.unverified("b@example.org", true),
                                v("c", fresh, "UNREACHABLE", 0, 0, 0)),
                        "FAIL",
                        "verification could not reach a server for c@example.org (why); never verified: b@example.org;"
                                + " let the sync catch up and verify (POST /api/v1/domains/example.org/verify)"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            RELAY_FIRST       | point it at the appliance (the plan's appliance.mx) now, before go-live
            SWITCH_AT_GO_LIVE | switch it to the new provider at go-live
            """)
    void dnsNotSwitchedShouldTellWhichSwitchToMakeWhenFlowDiffers(MxFlow flow, String advice) {
        Readiness r = Readiness.evaluate(
                new ReadinessInputs("example.org", DONE, UP, UP, 0, DnsVerdict.NOT_SWITCHED, "", NOW, MAX_AGE, flow));

        Check dns = r.checks().stream()
                .filter(c -> c.name().equals(Check.DNS))
                .findFirst()
                .orElseThrow();
        assertThat(dns.state()).isEqualTo(CheckState.WARN);
        assertThat(dns.reason()).contains(advice);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verificationRows")
    void verificationShouldPassOnlyOnRecentCleanFactWhenFactsVary(
            String name, List<MailboxProgress> mailboxes, String state, String reason) {
        Check check = MailboxChecks.verification("example.org", mailboxes, 0, NOW, MAX_AGE);

        assertThat(check.state().name()).isEqualTo(state);
        assertThat(check.reason()).contains(reason);
    }

    private static MailboxProgress v(
            String user, Instant at, String verdict, int folders, long missing, long mismatched) {
        return new MailboxProgress(
                user + "@example.org",
                true,
                Optional.of(new Verification(at, verdict, folders, missing, mismatched, "why")));
    }

    private static Arguments vrow(String name, List<MailboxProgress> mailboxes, String state, String reason) {
        return Arguments.of(name, mailboxes, state, reason);
    }

    private static Check check(Readiness readiness, String name) {
        return readiness.checks().stream()
                .filter(check -> check.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<MailboxProgress> mailboxes(int count, boolean historyCopied, long missing) {
        List<MailboxProgress> list = new ArrayList<>();
        IntStream.range(0, count)
                .forEach(i -> list.add(verified("u" + i + "@example.org", historyCopied, missing, NOW)));
        return list;
    }

    private static ReadinessInputs in(
            List<MailboxProgress> mailboxes, ProbeResult smtp, ProbeResult imap, int held, DnsVerdict dns) {
        return new ReadinessInputs(
                "example.org", mailboxes, smtp, imap, held, dns, "", NOW, MAX_AGE, MxFlow.SWITCH_AT_GO_LIVE);
    }

    private static Arguments row(String name, ReadinessInputs in, String states, boolean ready) {
        return Arguments.of(name, in, states, ready);
    }
}
