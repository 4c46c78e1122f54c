package io.mxcutover.relay.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.relay.smtp.MailAddress;
import io.mxcutover.relay.smtp.SmtpReply;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BouncesTest {

    static final byte[] ORIGINAL = ("Received: from x\r\nFrom: a@example.org\r\nMessage-ID: <orig@example.org>\r\n"
                    + "Subject: hi\r\n\r\nsecret body\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void bounceShouldBeMultipartReportWithOriginalHeadersOnlyWhenRecipientFailed() throws Exception {
        byte[] dsn = Bounces.build(
                "Q1ABCDEFGH",
                "a@example.org",
                Instant.parse("2026-01-01T00:00:00Z"),
                List.of(new Bounces.Failure(
                        MailAddress.of("bob@example.test"),
                        "5.1.1",
                        SmtpReply.of(550, "5.1.1", "no such user").toString(),
                        "legacy.test")),
                Bounces.Action.FAILED,
                "mx.relay.test",
                Instant.parse("2026-01-01T00:10:00Z"),
                new ByteArrayInputStream(ORIGINAL));
        String text = new String(dsn, StandardCharsets.US_ASCII);
        assertThat(text)
                .contains(
                        "Content-Type: multipart/report",
                        "report-type=delivery-status",
                        "Reporting-MTA: dns; mx.relay.test",
                        "Final-Recipient: rfc822; bob@example.test",
                        "Action: failed",
                        "Status: 5.1.1",
                        "Diagnostic-Code: smtp; 550 5.1.1 no such user",
                        "text/rfc822-headers",
                        "Message-ID: <orig@example.org>",
                        "Auto-Submitted: auto-replied",
                        "To: a@example.org");
        assertThat(text).doesNotContain("secret body");
    }

    @Test
    void bounceShouldBeRefusedWhenSenderIsNull() {
        assertThatThrownBy(() -> Bounces.build(
                        "Q1ABCDEFGH",
                        "",
                        Instant.EPOCH,
                        List.of(),
                        Bounces.Action.FAILED,
                        "mx",
                        Instant.EPOCH,
                        new ByteArrayInputStream(ORIGINAL)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delayNoticeShouldSayDelayed() throws Exception {
        byte[] dsn = Bounces.build(
                "Q1ABCDEFGH",
                "a@example.org",
                Instant.EPOCH,
                List.of(new Bounces.Failure(MailAddress.of("bob@example.test"), "4.4.1", "connection refused", "")),
                Bounces.Action.DELAYED,
                "mx.relay.test",
                Instant.EPOCH,
                new ByteArrayInputStream(ORIGINAL));
        assertThat(new String(dsn, StandardCharsets.US_ASCII)).contains("Action: delayed", "THIS IS A WARNING ONLY");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "[{index}] {0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            bob@example.test          | rfc822; bob@example.test
            a+b=c@example.test        | rfc822; a+b=c@example.test
            jörg@example.test         | utf-8; j\\x{F6}rg@example.test
            乢乯乢@example.test         | utf-8; \\x{4E62}\\x{4E6F}\\x{4E62}@example.test
            a+ö@example.test          | utf-8; a\\x{2B}\\x{F6}@example.test
            😀@example.test            | utf-8; \\x{1F600}@example.test
            """)
    void finalRecipientShouldNameTheAddressItselfInAsciiWhenUtf8(String address, String expected) {
        assertThat(Bounces.finalRecipient(MailAddress.of(address))).isEqualTo(expected);
    }

    @Test
    void bounceShouldNeverNameAOneBytePerCharacterLookalike() throws Exception {
        byte[] dsn = Bounces.build(
                "Q1ABCDEFGH",
                "a@example.org",
                Instant.EPOCH,
                List.of(new Bounces.Failure(
                        MailAddress.of("\u4e62\u4e6f\u4e62@example.test"),
                        "5.6.7",
                        "553 5.6.7 SMTPUTF8 is required",
                        "")),
                Bounces.Action.FAILED,
                "mx.relay.test",
                Instant.EPOCH,
                new ByteArrayInputStream(ORIGINAL));
        String text = new String(dsn, StandardCharsets.UTF_8);
        assertThat(text)
                .contains("Final-Recipient: utf-8; \\x{4E62}\\x{4E6F}\\x{4E62}@example.test")
                .doesNotContain("bob@example.test")
                .doesNotContain("???@");
    }
}
