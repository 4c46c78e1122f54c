package io.mxcutover.relay.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentPolicyTest {

    static String verdict(ContentPolicy.Verdict v) {
        if (v instanceof ContentPolicy.Refuse r) {
            return r.reply().code() + " " + r.reply().enhanced() + " " + r.reason();
        }
        return ((ContentPolicy.Accept) v).normalised() ? "accept normalised" : "accept";
    }

    @ParameterizedTest(name = "[{index}] size {0}/{1} bare={2} {3} received {4}/{5} -> {6}")
    @CsvSource(delimiter = '|', textBlock = """
            # size   | max size | bare LF | bare policy | Received | hop limit | expected
            100      | 1000     | false   | REJECT      | 0        | 50        | accept
            1000     | 1000     | false   | REJECT      | 0        | 50        | accept
            1001     | 1000     | false   | REJECT      | 0        | 50        | 552 5.3.4 OVERSIZE
            1001     | 0        | false   | REJECT      | 0        | 50        | accept
            100      | 1000     | true    | REJECT      | 0        | 50        | 550 5.6.11 BARE_LINE_ENDING
            100      | 1000     | true    | NORMALIZE   | 0        | 50        | accept normalised
            100      | 1000     | false   | NORMALIZE   | 0        | 50        | accept
            100      | 1000     | false   | REJECT      | 49       | 50        | accept
            100      | 1000     | false   | REJECT      | 50       | 50        | 554 5.4.6 MAIL_LOOP
            100      | 1000     | false   | REJECT      | 51       | 50        | 554 5.4.6 MAIL_LOOP
            100      | 1000     | false   | REJECT      | 1        | 1         | 554 5.4.6 MAIL_LOOP
            # the first that applies wins: size, then bare line endings, then hops
            1001     | 1000     | true    | REJECT      | 50       | 50        | 552 5.3.4 OVERSIZE
            100      | 1000     | true    | REJECT      | 50       | 50        | 550 5.6.11 BARE_LINE_ENDING
            100      | 1000     | true    | NORMALIZE   | 50       | 50        | 554 5.4.6 MAIL_LOOP
            1001     | 1000     | true    | NORMALIZE   | 50       | 50        | 552 5.3.4 OVERSIZE
            """)
    void checkShouldRefuseOversizeThenBareLineEndingsThenLoops(
            long size,
            long maxSize,
            boolean bare,
            Intake.BareLineEndings policy,
            int received,
            int maxReceived,
            String expected) {
        ContentPolicy.Verdict v = ContentPolicy.check(
                new ContentPolicy.Facts(size, bare, received), new ContentPolicy.Limits(maxSize, policy, maxReceived));
        assertThat(verdict(v)).isEqualTo(expected);
    }

    @Test
    void checkShouldNameTheLimitInThe552Text() {
        ContentPolicy.Refuse r = (ContentPolicy.Refuse) ContentPolicy.check(
                new ContentPolicy.Facts(2000, false, 0),
                new ContentPolicy.Limits(1000, Intake.BareLineEndings.REJECT, 50));
        assertThat(r.reply()).hasToString("552 5.3.4 Message size exceeds fixed maximum message size of 1000 bytes");
    }
}
