package io.mxcutover.appliance.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.facts.MailboxLogin;
import io.mxcutover.appliance.probe.ProbeRun.LoginResult;
import io.mxcutover.appliance.probe.ProbeVerdicts.Delivery;
import io.mxcutover.appliance.readiness.Check;
import io.mxcutover.appliance.readiness.CheckState;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The post-cutover probes' verdicts, as an admin reads them. */
class ProbeVerdictsTest {

    static Stream<Arguments> deliveries() {
        return Stream.of(
                Arguments.of(
                        new Delivery.Found("probe@a.example", "imap://127.0.0.1:143", Duration.ofMillis(1234)),
                        CheckState.PASS,
                        List.of("reached probe@a.example", "imap://127.0.0.1:143", "1.2 s")),
                Arguments.of(
                        new Delivery.NotFound(
                                "probe@a.example",
                                "imap://new:143",
                                Duration.ofMinutes(5),
                                "relay: 250 2.0.0 queued as Q1"),
                        CheckState.FAIL,
                        List.of("did not reach probe@a.example", "within 5m", "queued as Q1", "GET /api/v1/queue")),
                Arguments.of(
                        new Delivery.LoginFailed("probe@a.example", "imap://new:143", "login refused"),
                        CheckState.FAIL,
                        List.of("cannot log in", "newPassword", "cutover.probeMailboxes")),
                Arguments.of(
                        new Delivery.NotSent("127.0.0.1:25", "answered '550 5.1.1 unknown' to RCPT TO:<p@a>"),
                        CheckState.FAIL,
                        List.of("did not accept", "550 5.1.1", "recipient the plan accepts")),
                Arguments.of(
                        new Delivery.CannotRun("the relay is not running"),
                        CheckState.FAIL,
                        List.of("could not run", "the relay is not running")),
                Arguments.of(
                        new Delivery.NotConfigured(),
                        CheckState.WARN,
                        List.of("no probe mailbox is configured for a.example", "cutover.probeMailboxes")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deliveries")
    void sendReceiveShouldPassOnlyWhenTheMessageWasReadBackFromNew(
            Delivery delivery, CheckState state, List<String> words) {
        Check check = ProbeVerdicts.sendReceive("a.example", delivery);

        assertThat(check.name()).isEqualTo("send-receive");
        assertThat(check.state()).isEqualTo(state);
        assertThat(check.reason()).contains(words);
    }

    static Stream<Arguments> logins() {
        LoginResult ok = new LoginResult("anna@a.example", true, "logged in as anna");
        LoginResult ok2 = new LoginResult("bob@a.example", true, "logged in as bob");
        LoginResult refused = new LoginResult("carl@a.example", false, "login refused ([AUTHENTICATIONFAILED])");
        return Stream.of(
                Arguments.of(
                        "not wired: did not run",
                        false,
                        0,
                        List.of(),
                        CheckState.FAIL,
                        List.of("knows no new-server passwords", "did not run")),
                Arguments.of(
                        "wired, none known",
                        true,
                        0,
                        List.of(),
                        CheckState.WARN,
                        List.of("no new-server password is known")),
                Arguments.of("all in", true, 2, List.of(ok, ok2), CheckState.PASS, List.of("all 2 mailboxes")),
                Arguments.of("one in", true, 1, List.of(ok), CheckState.PASS, List.of("all 1 mailbox ")),
                Arguments.of(
                        "one refused",
                        true,
                        3,
                        List.of(ok, refused, ok2),
                        CheckState.FAIL,
                        List.of("1 mailbox of 3", "carl@a.example", "AUTHENTICATIONFAILED", "password prompt")),
                Arguments.of(
                        "refused, then server gone",
                        true,
                        4,
                        List.of(refused),
                        CheckState.FAIL,
                        List.of("1 mailbox of 4", "3 not checked")),
                Arguments.of(
                        "server gone at once",
                        true,
                        2,
                        List.of(),
                        CheckState.FAIL,
                        List.of("only 0 of 2", "POST /api/v1/domains/a.example/probes")),
                Arguments.of("server gone midway", true, 3, List.of(ok), CheckState.FAIL, List.of("only 1 of 3")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logins")
    void credentialsShouldFailWhenAKnownPasswordIsRefusedAndWarnWhenNoneIsKnown(
            String row, boolean wired, int known, List<LoginResult> tried, CheckState state, List<String> words) {
        Check check = ProbeVerdicts.credentials("a.example", wired, known, tried);

        assertThat(check.name()).isEqualTo("credentials");
        assertThat(check.state()).as(row).isEqualTo(state);
        assertThat(check.reason()).as(row).contains(words);
    }

    @Test
    void credentialsShouldFailWhenPasswordsCouldNotBeRead() {
        Check check = ProbeVerdicts.credentialsUnknown("a.example", "StateStoreException");

        assertThat(check.state()).isEqualTo(CheckState.FAIL);
        assertThat(check.reason())
                .contains(
                        "could not be read (StateStoreException)",
                        "did not run",
                        "POST /api/v1/domains/a.example/probes");
    }

    @Test
    void credentialsShouldListFewMailboxesWhenManyAreRefused() {
        List<LoginResult> refused = IntStream.range(0, 40)
                .mapToObj(i -> new LoginResult("u" + i + "@a.example", false, "login refused"))
                .toList();

        Check check = ProbeVerdicts.credentials("a.example", true, 40, refused);

        assertThat(check.reason())
                .contains("40 mailboxes of 40", "u0@a.example", "and 35 more")
                .doesNotContain("u39@a.example");
    }

    @Test
    void mailboxLoginShouldNeverShowItsPassword() {
        MailboxLogin login = new MailboxLogin("anna@a.example", "anna", "s3cret-pw");

        assertThat(login.toString()).contains("anna@a.example", "anna").doesNotContain("s3cret");
    }
}
