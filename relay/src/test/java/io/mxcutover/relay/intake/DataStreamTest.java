package io.mxcutover.relay.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** DATA termination and dot-unstuffing, at every network chunk size and read size. */
class DataStreamTest {

    /** Delivers at most {@code chunk} bytes per read, like a slow network. */
    static InputStream chunked(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    static String unescape(String s) {
        return s.replace("CR", "\r").replace("LF", "\n");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            aCRLF.CRLFQUITCRLF           | aCRLF              | QUITCRLF
            .CRLF                        |                    |
            CRLF.CRLF                    | CRLF               |
            ..xCRLF.CRLF                 | .xCRLF             |
            xCRLF..CRLF.CRLFMAIL         | xCRLF.CRLF         | MAIL
            xCRLF.yCRLF.CRLF             | xCRLFyCRLF         |
            xLF.LFyCRLF.CRLF             | xLF.LFyCRLF        |
            xCRLF.CRyCRLF.CRLF           | xCRLFCRyCRLF       |
            xCR.CRLF.CRLF                | xCR.CRLF           |
            xCRCRLF.CRLFRSETCRLFQUITCRLF | xCRCRLF            | RSETCRLFQUITCRLF
            xCRLF.CRCRLF.CRLF            | xCRLFCRCRLF        |
            a.bCRLF..CRLF...CRLF.CRLF    | a.bCRLF.CRLF..CRLF |
            """)
    void dataShouldEndAtCrlfDotCrlfAndUnstuffLeadingDots(String input, String message, String rest) throws IOException {
        byte[] in = unescape(input).getBytes(StandardCharsets.US_ASCII);
        String wantMessage = message == null ? "" : unescape(message);
        String wantRest = rest == null ? "" : unescape(rest);
        for (int chunk : new int[] {1, 2, 3, 7, 4096}) {
            for (int readSize : new int[] {1, 5, 8192}) {
                SessionInput.Unsynchronized source = new SessionInput.Unsynchronized(chunked(in, chunk), 16);
                DataStream data = new DataStream(source);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[readSize];
                int n;
                while ((n = data.read(buf, 0, buf.length)) >= 0) {
                    got.write(buf, 0, n);
                }
                assertThat(data.finished()).isTrue();
                assertThat(got.toString(StandardCharsets.US_ASCII))
                        .as("chunk %d, read %d", chunk, readSize)
                        .isEqualTo(wantMessage);
                assertThat(new String(source.readAllBytes(), StandardCharsets.US_ASCII))
                        .as("left for the command reader, chunk %d, read %d", chunk, readSize)
                        .isEqualTo(wantRest);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcCRLF", "abcCRLF.", "abcCRLF.CR", "xLF.LF", "xCR.CR"})
    void dataShouldFailWhenConnectionEndsBeforeFinalDot(String input) {
        SessionInput.Unsynchronized source = new SessionInput.Unsynchronized(
                new ByteArrayInputStream(unescape(input).getBytes(StandardCharsets.US_ASCII)), 16);
        DataStream data = new DataStream(source);
        assertThatThrownBy(data::readAllBytes).isInstanceOf(EOFException.class);
    }
}
