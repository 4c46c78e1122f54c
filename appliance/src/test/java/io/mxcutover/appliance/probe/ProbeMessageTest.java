package io.mxcutover.appliance.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The send/receive test's message and the SMTP client's framing. */
class ProbeMessageTest {

    @Test
    void messageShouldBeCrlfAsciiWithItsMessageIdAndAutoSubmitted() {
        String id =
                ProbeMessage.messageId(UUID.fromString("00000000-0000-0000-0000-000000000001"), "mx.appliance.example");

        String text = new String(
                ProbeMessage.build("a.example", "probe@a.example", id, Instant.parse("2026-11-20T08:00:00Z")),
                StandardCharsets.US_ASCII);

        assertThat(id).isEqualTo("<mxcutover-probe.00000000-0000-0000-0000-000000000001@mx.appliance.example>");
        assertThat(text)
                .contains(
                        "Message-ID: " + id + "\r\n",
                        "Auto-Submitted: auto-generated\r\n",
                        "To: <probe@a.example>\r\n",
                        "Date: Fri, 20 Nov 2026 08:00:00 GMT\r\n",
                        "\r\n\r\n")
                .endsWith("\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\r", "\n");
    }

    @Test
    void messageIdShouldNameAnInvalidHostWhenTheRelayHasNoHostname() {
        assertThat(ProbeMessage.messageId(UUID.randomUUID(), " ")).endsWith("@mxcutover.invalid>");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "220 mx ready\\r\\n|220 mx ready",
                "250-mx.example\\r\\n250-SIZE 10240000\\r\\n250 8BITMIME\\r\\n|250 mx.example / SIZE 10240000 / 8BITMIME",
                "354\\r\\n|354",
                "550 5.1.1 <x@y>: unknown\\n|550 5.1.1 <x@y>: unknown"
            })
    void readReplyShouldJoinMultiLineRepliesWhenCodesRepeatWithDash(String wire, String reply) throws IOException {
        var in = new ByteArrayInputStream(
                wire.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(SmtpProbeClient.readReply(in)).isEqualTo(reply);
    }

    @Test
    void readReplyShouldFailWhenTheConnectionClosesMidReply() {
        var in = new ByteArrayInputStream("250-first\r\n".getBytes(StandardCharsets.US_ASCII));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SmtpProbeClient.readReply(in))
                .hasMessageContaining("connection closed")
                .hasMessageContaining("250 first");
    }

    @Test
    void dotStuffedShouldDoubleLeadingDotsAndEndWithCrlf() {
        byte[] out = SmtpProbeClient.dotStuffed(".first\r\nmid.dle\r\n.\r\nlast".getBytes(StandardCharsets.US_ASCII));

        assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo("..first\r\nmid.dle\r\n..\r\nlast\r\n");
    }
}
