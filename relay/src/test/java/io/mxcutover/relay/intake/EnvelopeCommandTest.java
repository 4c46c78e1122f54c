package io.mxcutover.relay.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvelopeCommandTest {

    static String verdict(EnvelopeCommand.Parsed p) {
        if (p instanceof EnvelopeCommand.Refused r) {
            return r.reply().code() + " " + r.reply().enhanced();
        }
        EnvelopeCommand.Accepted a = (EnvelopeCommand.Accepted) p;
        return "<" + a.path() + ">"
                + (a.size().isPresent() ? " size=" + a.size().getAsLong() : "") + (a.smtputf8() ? " utf8" : "")
                + (a.eightBitMime() ? " 8bit" : "");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            # MAIL command line                              | expected
            MAIL FROM:<alice@example.org>                    | <alice@example.org>
            mail from:<alice@example.org>                    | <alice@example.org>
            MAIL FROM: <alice@example.org>                   | <alice@example.org>
            MAIL FROM:alice@example.org                      | <alice@example.org>
            MAIL FROM:<>                                     | <>
            MAIL FROM:<alice@example.org> SIZE=1000          | <alice@example.org> size=1000
            MAIL FROM:<alice@example.org> size=1000 BODY=8BITMIME | <alice@example.org> size=1000 8bit
            MAIL FROM:<alice@example.org> BODY=7BIT          | <alice@example.org>
            MAIL FROM:<alice@example.org> BODY=8bitmime SIZE=5 | <alice@example.org> size=5 8bit
            MAIL FROM:<alice@example.org> SMTPUTF8           | <alice@example.org> utf8
            MAIL FROM:<jörg@example.org> SMTPUTF8            | <jörg@example.org> utf8
            MAIL FROM:<jörg@example.org> smtputf8 BODY=8BITMIME | <jörg@example.org> utf8 8bit
            MAIL FROM:<老板@例子.测试> SMTPUTF8               | <老板@例子.测试> utf8
            MAIL FROM:<"a>b"@example.org>                    | <"a>b"@example.org>
            MAIL FROM:<alice@example.org> SIZE=99999999999999999999 | <alice@example.org> size=9223372036854775807
            MAIL FROM:<jörg@example.org>                     | 553 5.6.7
            MAIL FROM:<老板@example.org>                      | 553 5.6.7
            MAIL FROM:<alice@bücher.example>                 | 553 5.6.7
            MAIL FROM:<alice@example.org> AUTH=<>            | 555 5.5.4
            MAIL FROM:<alice@example.org> RET=HDRS           | 555 5.5.4
            MAIL FROM:<alice@example.org> ENVID=x            | 555 5.5.4
            MAIL FROM:<alice@example.org> XFOO               | 555 5.5.4
            MAIL FROM:<alice@example.org> BODY=BINARYMIME    | 555 5.5.4
            MAIL FROM:<alice@example.org> SIZE=1000 FOO=bar  | 555 5.5.4
            MAIL FROM:<alice@example.org> BODY=9BIT          | 501 5.5.4
            MAIL FROM:<alice@example.org> SIZE=              | 501 5.5.4
            MAIL FROM:<alice@example.org> SIZE=abc           | 501 5.5.4
            MAIL FROM:<alice@example.org> SIZE=1 SIZE=2      | 501 5.5.4
            MAIL FROM:<alice@example.org> SMTPUTF8=yes       | 501 5.5.4
            MAIL FROM:<alice@example.org> SMTPUTF8 SMTPUTF8  | 501 5.5.4
            MAIL FROM:<alice@example.org> =x                 | 501 5.5.4
            MAIL FROM:<alice@example.org> X=ä                | 501 5.5.4
            MAIL FROM:<alice@example.org>SIZE=1              | 501 5.5.4
            MAIL FROM:<alice@example.org                     | 501 5.5.4
            MAIL TO:<alice@example.org>                      | 501 5.5.4
            MAIL FROM:                                       | 501 5.5.4
            'MAIL FROM:   '                                  | 501 5.5.4
            MAIL                                             | 501 5.5.4
            """)
    void mailShouldAcceptOnlyAdvertisedParametersWhenParsed(String line, String expected) {
        assertThat(verdict(EnvelopeCommand.mail(line))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} smtputf8={1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            # RCPT command line                     | SMTPUTF8 declared | expected
            RCPT TO:<bob@example.test>              | false | <bob@example.test>
            rcpt to: <bob@example.test>             | false | <bob@example.test>
            RCPT TO:<bob@example.test>              | true  | <bob@example.test>
            RCPT TO:<jörg@example.test>             | true  | <jörg@example.test>
            RCPT TO:<老板@example.test>              | true  | <老板@example.test>
            RCPT TO:<bob@bücher.example>            | true  | <bob@bücher.example>
            RCPT TO:<jörg@example.test>             | false | 553 5.6.7
            RCPT TO:<老板@example.test>              | false | 553 5.6.7
            RCPT TO:<ｃｅｏ@example.test>            | false | 553 5.6.7
            RCPT TO:<bob@bücher.example>            | false | 553 5.6.7
            RCPT TO:<bob@example.test> NOTIFY=NEVER | false | 555 5.5.4
            RCPT TO:<bob@example.test> ORCPT=rfc822;bob@example.test | false | 555 5.5.4
            RCPT TO:<bob@example.test> SMTPUTF8     | true  | 555 5.5.4
            RCPT TO:<bob@example.test> XFOO=1       | false | 555 5.5.4
            RCPT TO:<jörg@example.test> NOTIFY=NEVER | true | 555 5.5.4
            RCPT FROM:<bob@example.test>            | false | 501 5.5.4
            RCPT TO:                                | false | 501 5.5.4
            RCPT TO:<bob@example.test               | false | 501 5.5.4
            """)
    void rcptShouldRefuseParametersAndUndeclaredUtf8WhenParsed(String line, boolean smtputf8, String expected) {
        assertThat(verdict(EnvelopeCommand.rcpt(line, smtputf8))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            client.example        | ok
            xn--bcher-kva.example | ok
            [127.0.0.1]           | ok
            bücher.example        | 501 5.5.4
            ''                    | 501 5.5.4
            """)
    void heloShouldRequireAsciiNameWhenGiven(String name, String expected) {
        assertThat(EnvelopeCommand.helo(name == null ? "" : name)
                        .map(r -> r.code() + " " + r.enhanced())
                        .orElse("ok"))
                .isEqualTo(expected);
    }
}
