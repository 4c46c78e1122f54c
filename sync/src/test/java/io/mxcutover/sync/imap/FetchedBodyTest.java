package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FetchedBodyTest {
    /** raw response (| is CRLF) | UID | body | origin (-1: none), or - when the response carries no body. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "* 1 FETCH (UID 34 BODY[] {5}|hello)                      ; 34 ; hello ; -1",
                "* 1 FETCH (BODY[] {5}|hello UID 35)                      ; 35 ; hello ; -1",
                "* 2 FETCH (UID 7 BODY[] {0}|)                            ; 7  ; '' ; -1",
                "* 3 FETCH (UID 9 BODY[] {12}|a)|b {3}|c|)                ; 9  ; a)|b {3}|c ; -1",
                "* 4 FETCH (UID 10 BODY[] {3+}|abc)                       ; 10 ; abc ; -1",
                "* 5 FETCH (FLAGS (\\Seen) UID 11)                        ; -  ; - ; -",
                "* 6 FETCH (UID 12 BODY[HEADER.FIELDS (SUBJECT)] {4}|abcd); -  ; - ; -",
                "* 7 FETCH (UID 13 BODY[] NIL)                            ; -  ; - ; -",
                "* 8 EXISTS                                               ; -  ; - ; -",
                "* 9 FETCH (BODY[] {2}|hi)                                ; -  ; - ; -",
                "* 9 FETCH (UID 14 BODY[]<1048576> {2}|hi)                ; 14 ; hi ; 1048576",
                "* 9 FETCH (UID 15 BODY[]<10 {2}|hi)                      ; -  ; - ; -",
                "* 9 FETCH (UID 16 BODY[]<0> {2}|hi)                      ; 16 ; hi ; 0",
                "* 9 FETCH (UID 17 BODY[]<> {2}|hi)                       ; -  ; - ; -",
            })
    void parseShouldFindUidAndLiteralWhenResponseCarriesBody(String raw, String uid, String body, String origin) {
        byte[] b = ("xx" + raw.replace("|", "\r\n") + "yy").getBytes(StandardCharsets.ISO_8859_1);

        FetchedBody f = FetchedBody.parse(b, 2, b.length - 2);

        if (uid.equals("-")) {
            assertThat(f).isNull();
        } else {
            assertThat(f.uid()).isEqualTo(Long.parseLong(uid));
            assertThat(f.origin()).isEqualTo(Long.parseLong(origin));
            assertThat(new String(b, f.literalStart(), f.literalEnd() - f.literalStart(), StandardCharsets.ISO_8859_1))
                    .isEqualTo(body.replace("|", "\r\n"));
        }
    }
}
