package io.mxcutover.relay.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressSyntaxTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            # raw RCPT path                 | expected: address, or reply code+enhanced
            bob@example.test                | bob@example.test
            <bob@example.test>              | bob@example.test
            Bob@Example.TEST                | Bob@example.test
            b.o.b@example.test              | b.o.b@example.test
            bob+tag@example.test            | bob+tag@example.test
            o'neil@example.test             | o'neil@example.test
            a#$&*-/=?^_`{}~@example.test    | a#$&*-/=?^_`{}~@example.test
            "john doe"@example.test         | "john doe"@example.test
            "a\\"b"@example.test            | "a\\"b"@example.test
            jörg@example.test               | jörg@example.test
            bob@bücher.example              | bob@xn--bcher-kva.example
            bob@BÜCHER.example              | bob@xn--bcher-kva.example
            bob@faß.example                 | 501 5.1.3
            bob@example。test               | 501 5.1.3
            bob@ｅｘａｍｐｌｅ.test          | 501 5.1.3
            老板@例子.测试                   | 老板@xn--fsqu00a.xn--0zwm56d
            bob@sub.example.test            | bob@sub.example.test
            bob@localhost                   | bob@localhost
            u%evil.com@example.test         | 550 5.7.1
            evil.com!u@example.test         | 550 5.7.1
            @hop1,@hop2:u@example.test      | 550 5.7.1
            @hop1:u@example.test            | 550 5.7.1
            "u@evil.com"@example.test       | 550 5.7.1
            "u%evil.com"@example.test       | 550 5.7.1
            "evil!u"@example.test           | 550 5.7.1
            u@evil.com@example.test         | 550 5.7.1
            u@[127.0.0.1]                   | 550 5.7.1
            u@[IPv6:::1]                    | 550 5.7.1
            ''                              | 501 5.1.3
            <>                              | 501 5.1.3
            postmaster                      | 501 5.1.3
            bob                             | 501 5.1.3
            @example.test                   | 550 5.7.1
            bob@                            | 501 5.1.3
            .bob@example.test               | 501 5.1.3
            bob.@example.test               | 501 5.1.3
            b..ob@example.test              | 501 5.1.3
            bob smith@example.test          | 501 5.1.3
            bob,x@example.test              | 501 5.1.3
            bob(x)@example.test             | 501 5.1.3
            bob\\x@example.test             | 501 5.1.3
            bob<x>@example.test             | 501 5.1.3
            bob:x@example.test              | 501 5.1.3
            "unterminated@example.test      | 501 5.1.3
            "quoted"x@example.test          | 501 5.1.3
            bob@example.test.               | 501 5.1.3
            bob@.example.test               | 501 5.1.3
            bob@exa mple.test               | 501 5.1.3
            bob@exa_mple.test               | 501 5.1.3
            bob@-example.test               | 501 5.1.3
            bob@example-.test               | 501 5.1.3
            bob@example..test               | 501 5.1.3
            bob@ex%ample.test               | 501 5.1.3
            bob@ex!ample.test               | 501 5.1.3
            bob@example.test>               | 501 5.1.3
            """)
    void parseRecipientShouldAcceptOnlyPlainMailboxesWhenGivenRcptPath(String raw, String expected) {
        AddressSyntax.Parsed parsed = AddressSyntax.parseRecipient(raw == null ? "" : raw);
        if (expected.matches("\\d{3} .*")) {
            assertThat(parsed).isInstanceOf(AddressSyntax.Invalid.class);
            SmtpReply reply = ((AddressSyntax.Invalid) parsed).reply();
            assertThat(reply.code() + " " + reply.enhanced()).isEqualTo(expected);
        } else {
            assertThat(parsed).isInstanceOf(AddressSyntax.Valid.class);
            assertThat(((AddressSyntax.Valid) parsed).address().toString()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "a@example.test, 64, true",
        "a@example.test, 65, false",
    })
    void parseRecipientShouldLimitLocalPartTo64WhenLong(String ignored, int length, boolean ok) {
        String raw = "x".repeat(length) + "@example.test";
        assertThat(AddressSyntax.parseRecipient(raw) instanceof AddressSyntax.Valid)
                .isEqualTo(ok);
    }

    @ParameterizedTest
    @CsvSource({
        "'550 5.1.1 user unknown', 550, 5.1.1, user unknown",
        "'450 try later', 450, '', try later",
        "'250-2.0.0 Ok', 250, 2.0.0, Ok"
    })
    void smtpReplyShouldParseEnhancedCodeWhenPresent(String line, int code, String enhanced, String text) {
        SmtpReply r = SmtpReply.parse(code, line);
        assertThat(r.enhanced()).isEqualTo(enhanced == null ? "" : enhanced);
        assertThat(r.text()).isEqualTo(text);
    }
}
