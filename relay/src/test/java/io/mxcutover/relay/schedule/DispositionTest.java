package io.mxcutover.relay.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.relay.forward.Bounces;
import io.mxcutover.relay.forward.Outcome;
import io.mxcutover.relay.forward.RetrySchedule;
import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.smtp.SmtpReply;
import io.mxcutover.relay.spool.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DispositionTest {

    /** Postfix's defaults: backoff 5 min doubling to 4000 s, lifetime 5 days, delay warning after 4 hours. */
    static final RetrySchedule SCHEDULE = RetrySchedule.DEFAULT;

    static final Instant ARRIVAL = Instant.parse("2026-03-01T10:00:00Z");

    static MailAddress rcpt(String local) {
        return MailAddress.of(local + "@example.test");
    }

    /** {@code 250}, {@code 550/5.1.1}, {@code 554} (no enhanced code), {@code 451/4.3.0}, {@code timeout}, {@code alert}. */
    static Outcome outcome(String text) {
        String[] p = text.split("/");
        return switch (p[0]) {
            case "timeout" -> Outcome.Deferred.of("read timed out");
            case "alert" -> Outcome.Deferred.alert("soft bounce: 550 5.1.1 unknown user");
            default -> {
                int code = Integer.parseInt(p[0]);
                SmtpReply reply = SmtpReply.of(code, p.length > 1 ? p[1] : "", "reply of test");
                if (code < 300) {
                    yield new Outcome.Delivered("legacy.test:25", reply);
                }
                yield code >= 500
                        ? new Outcome.Rejected("refused", reply)
                        : new Outcome.Deferred("refused", Optional.of(reply), false);
            }
        };
    }

    static String show(Disposition.Fate f) {
        if (f instanceof Disposition.Sent) {
            return "sent";
        }
        if (f instanceof Disposition.Bounced b) {
            return "bounced " + b.failure().status();
        }
        if (f instanceof Disposition.Expired x) {
            return "expired " + x.failure().status();
        }
        Disposition.Delayed d = (Disposition.Delayed) f;
        return "delayed " + d.warning().status() + (d.outcome().alert() ? " alert" : "");
    }

    @ParameterizedTest(name = "[{index}] {0} after {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # outcome  | age since arrival | fate
            250        | PT1M       | sent
            250        | P6D        | sent
            550/5.1.1  | PT1M       | bounced 5.1.1
            554        | PT1M       | bounced 5.0.0
            550/5.1.1  | P6D        | bounced 5.1.1
            451/4.3.0  | PT1M       | delayed 4.3.0
            451        | PT1M       | delayed 4.0.0
            timeout    | PT1M       | delayed 4.0.0
            alert      | PT1M       | delayed 4.0.0 alert
            451/4.3.0  | PT4H       | delayed 4.3.0
            451/4.3.0  | PT119H59M  | delayed 4.3.0
            451/4.3.0  | P5D        | expired 4.4.7
            timeout    | P5D        | expired 4.4.7
            alert      | P6D        | expired 4.4.7
            """)
    void fateShouldFollowOutcomeAndQueueLifetime(String outcome, Duration age, String expected) {
        Disposition.Fate f = Disposition.fate(rcpt("kim"), outcome(outcome), ARRIVAL, ARRIVAL.plus(age), SCHEDULE);
        assertThat(show(f)).isEqualTo(expected);
    }

    @Test
    void fateShouldName447AndTheLastProblemWhenTheLifetimeIsOver() {
        Disposition.Expired x = (Disposition.Expired)
                Disposition.fate(rcpt("kim"), outcome("timeout"), ARRIVAL, ARRIVAL.plus(Duration.ofDays(5)), SCHEDULE);
        assertThat(x.failure())
                .isEqualTo(new Bounces.Failure(
                        rcpt("kim"),
                        "4.4.7",
                        "message expired after 120 hours; last problem: deferred: read timed out",
                        ""));
    }

    @Test
    void fateShouldCarryTheTargetsReplyIntoTheBounceLine() {
        Disposition.Bounced b =
                (Disposition.Bounced) Disposition.fate(rcpt("kim"), outcome("550/5.1.1"), ARRIVAL, ARRIVAL, SCHEDULE);
        assertThat(b.failure()).isEqualTo(new Bounces.Failure(rcpt("kim"), "5.1.1", "550 5.1.1 reply of test", ""));
    }

    static String lines(List<Bounces.Failure> failures) {
        return failures.stream()
                .map(f -> f.recipient().localPart() + " " + f.status())
                .toList()
                .toString();
    }

    static String show(Disposition d, Instant now) {
        String s = "bounce=" + lines(d.bounce()) + " warn=" + lines(d.delayWarning());
        if (d.next() instanceof Disposition.Remove) {
            return s + " remove";
        }
        DeliveryStatus st = ((Disposition.Retry) d.next()).status();
        return s + " retry +" + Duration.between(now, st.nextAttempt()) + " #" + st.attempts()
                + (st.delayWarned() ? " warned" : "") + " done=" + new TreeMap<>(st.finished());
    }

    @ParameterizedTest(name = "[{index}] rcpts {0}, done {1}, warned {2}, {3} attempts; {4} after {5} -> {6}")
    @CsvSource(delimiter = '|', textBlock = """
            # rcpts | done before | warned | attempts | outcomes (rcpt:reply)   | age         | expected
            a       | -    | false | 0  | a:250                          | PT1M        | bounce=[] warn=[] remove
            a b     | -    | false | 0  | a:250 b:550/5.1.1              | PT1M        | bounce=[b 5.1.1] warn=[] remove
            a       | -    | false | 0  | a:554                          | PT1M        | bounce=[a 5.0.0] warn=[] remove
            a       | -    | false | 0  | a:451/4.3.0                    | PT1M        | bounce=[] warn=[] retry +PT5M #1 done={}
            a       | -    | false | 2  | a:451/4.3.0                    | PT1H        | bounce=[] warn=[] retry +PT20M #3 done={}
            a       | -    | false | 10 | a:451/4.3.0                    | PT3H        | bounce=[] warn=[] retry +PT1H6M40S #11 done={}
            a       | -    | false | 3  | a:451/4.3.0                    | PT3H59M     | bounce=[] warn=[] retry +PT40M #4 done={}
            a       | -    | false | 3  | a:451/4.3.0                    | PT4H        | bounce=[] warn=[a 4.3.0] retry +PT40M #4 warned done={}
            a       | -    | true  | 4  | a:451/4.3.0                    | PT5H        | bounce=[] warn=[] retry +PT1H6M40S #5 warned done={}
            a       | -    | false | 3  | a:timeout                      | PT4H        | bounce=[] warn=[a 4.0.0] retry +PT40M #4 warned done={}
            a       | -    | false | 0  | a:alert                        | PT1M        | bounce=[] warn=[] retry +PT5M #1 done={}
            a b     | -    | false | 3  | a:250 b:451/4.3.0              | PT4H        | bounce=[] warn=[b 4.3.0] retry +PT40M #4 warned done={a@example.test=delivered}
            a b     | -    | false | 3  | a:550/5.1.1 b:451/4.3.0        | PT4H        | bounce=[a 5.1.1] warn=[b 4.3.0] retry +PT40M #4 warned done={a@example.test=bounced}
            a b c   | -    | false | 0  | a:alert b:250 c:550/5.1.1      | PT1M        | bounce=[c 5.1.1] warn=[] retry +PT5M #1 done={b@example.test=delivered, c@example.test=bounced}
            a b     | -    | false | 39 | a:451/4.3.0 b:timeout          | P4DT23H58M  | bounce=[] warn=[a 4.3.0, b 4.0.0] retry +PT2M #40 warned done={}
            a       | -    | true  | 40 | a:451/4.3.0                    | P5D         | bounce=[a 4.4.7] warn=[] remove
            a       | -    | false | 40 | a:451/4.3.0                    | P5D         | bounce=[a 4.4.7] warn=[] remove
            a       | -    | true  | 40 | a:alert                        | P6D         | bounce=[a 4.4.7] warn=[] remove
            a       | -    | true  | 40 | a:550/5.1.1                    | P6D         | bounce=[a 5.1.1] warn=[] remove
            a       | -    | true  | 40 | a:250                          | P6D         | bounce=[] warn=[] remove
            a b     | a    | true  | 3  | b:451/4.3.0                    | PT10H       | bounce=[] warn=[] retry +PT40M #4 warned done={a@example.test=delivered}
            a b     | a    | true  | 3  | b:451/4.3.0                    | P5D         | bounce=[b 4.4.7] warn=[] remove
            a b     | a    | false | 3  | b:250                          | PT1M        | bounce=[] warn=[] remove
            a b     | a b  | false | 1  | -                              | PT1M        | bounce=[] warn=[] remove
            """)
    void decideShouldBounceWarnRemoveOrRetry(
            String rcpts,
            String doneBefore,
            boolean warned,
            int attempts,
            String outcomes,
            Duration age,
            String expected) {
        List<MailAddress> recipients =
                Arrays.stream(rcpts.split(" ")).map(DispositionTest::rcpt).toList();
        Map<String, String> done = new LinkedHashMap<>();
        if (!doneBefore.equals("-")) {
            Arrays.stream(doneBefore.split(" ")).forEach(r -> done.put(rcpt(r).toString(), "delivered"));
        }
        DeliveryStatus before = new DeliveryStatus(attempts, ARRIVAL, warned, done, "");
        Map<MailAddress, Outcome> results = new LinkedHashMap<>();
        if (!outcomes.equals("-")) {
            for (String o : outcomes.split(" ")) {
                String[] p = o.split(":");
                results.put(rcpt(p[0]), outcome(p[1]));
            }
        }
        Instant now = ARRIVAL.plus(age);
        Disposition d = Disposition.decide(recipients, ARRIVAL, before, results, now, SCHEDULE);
        assertThat(show(d, now)).isEqualTo(expected);
        assertThat(d.fates().keySet()).containsExactlyElementsOf(results.keySet());
    }

    @Test
    void decideShouldKeepTheLastOutcomeAsLastReply() {
        Map<MailAddress, Outcome> results = new LinkedHashMap<>();
        results.put(rcpt("a"), outcome("alert"));
        results.put(rcpt("b"), outcome("451/4.3.0"));
        Disposition d = Disposition.decide(
                List.of(rcpt("a"), rcpt("b")), ARRIVAL, DeliveryStatus.FRESH, results, ARRIVAL, SCHEDULE);
        assertThat(((Disposition.Retry) d.next()).status().lastReply())
                .isEqualTo("deferred: refused (451 4.3.0 reply of test)");
        assertThat(d.count(Disposition.Delayed.class)).isEqualTo(2);
        assertThat(d.count(Disposition.Sent.class)).isZero();
    }
}
