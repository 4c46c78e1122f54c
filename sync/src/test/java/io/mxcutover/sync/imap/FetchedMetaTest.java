package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.plan.MessageMeta;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast metadata parser must read every response it accepts exactly as Angus does (same UID, size,
 * date, flags, MODSEQ and identity), and hand back (null) every response it is not sure of, so that
 * Angus parses it as before.
 */
class FetchedMetaTest {
    private static final String HDR = "Message-ID: <a@b>|Subject: hi  there|Date: Sun, 9 Sep 2001 01:46:40 +0000||";

    /** raw response, | is CRLF; {HDR} is replaced by a header literal. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "* 1 FETCH (UID 5 FLAGS (\\Seen $Label1) INTERNALDATE \"09-Sep-2001 01:46:40 +0000\" RFC822.SIZE 1234 {HDR})",
                "* 2 FETCH (FLAGS () INTERNALDATE \" 9-Sep-2001 01:46:40 -0700\" RFC822.SIZE 99 MODSEQ (12345) {HDR} UID 77)",
                "* 3 FETCH (UID 6 FLAGS (\\Recent \\* \\Draft \\Deleted \\Answered \\Flagged \\D \\Dx Junk) "
                        + "INTERNALDATE \"31-Dec-1999 23:59:59 +0530\" RFC822.SIZE 0 {HDR})",
                "* 4 FETCH (uid 8 flags (\\seen) internaldate \"01-jan-2024 00:00:00 +0000\" rfc822.size 10 {HDR})",
                "* 5 FETCH (UID 9 FLAGS (\\Seen) INTERNALDATE \"29-Feb-2024 12:00:00 +0000\" RFC822.SIZE 10 "
                        + "BODY[HEADER.FIELDS (MESSAGE-ID)] {0}|)",
                "* 6 FETCH (UID 10 FLAGS (\\Seen) INTERNALDATE \"29-Feb-2024 12:00:00 +0000\" RFC822.SIZE 10 "
                        + "BODY[HEADER.FIELDS (MESSAGE-ID)] NIL)",
                "* 7 FETCH (UID 11 FLAGS (\\Seen) INTERNALDATE \"29-Feb-2024 12:00:00 +0000\" RFC822.SIZE 10 "
                        + "BODY[HEADER.FIELDS (MESSAGE-ID)] \"\")",
                "* 8 FETCH (UID 12 FLAGS (\\Seen) INTERNALDATE \"01-Jan-1970 00:00:00 +0000\" RFC822.SIZE 3 {HDR})",
            })
    void parseShouldAgreeWithAngusWhenItAcceptsTheResponse(String template) throws Exception {
        String raw = expand(template);
        byte[] b = ("xx" + raw + "\r\nyy").getBytes(StandardCharsets.ISO_8859_1);

        FetchedMeta fast = FetchedMeta.parse(b, 2, b.length - 2);

        assertThat(fast).as("the fast path takes this response").isNotNull();
        MessageMeta angus = ImapSession.meta(angus(raw));
        assertThat(ImapSession.meta(fast, b)).isEqualTo(angus);
    }

    /** raw responses the fast path hands to Angus (| is CRLF). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "* 3 EXISTS",
                "* 5 FETCH (FLAGS (\\Seen))",
                "* 5 FETCH (UID 4 FLAGS (\\Seen) MODSEQ (7))",
                "* 5 FETCH (UID 4 X-GM-MSGID 123 FLAGS () INTERNALDATE \"09-Sep-2001 01:46:40 +0000\" RFC822.SIZE 1)",
                "* 5 FETCH (UID 4 FLAGS () INTERNALDATE \"09-Sep-2001 01:46:40\" RFC822.SIZE 1)",
                "* 5 FETCH (UID 4 FLAGS () INTERNALDATE \"31-Feb-2001 01:46:40 +0000\" RFC822.SIZE 1)",
                "* 5 FETCH (UID 4 FLAGS () INTERNALDATE \"09-Foo-2001 01:46:40 +0000\" RFC822.SIZE 1)",
                "* 5 FETCH (UID 4 FLAGS () INTERNALDATE \"09-Sep-2001 01:46:40 +0000\" RFC822.SIZE 1 "
                        + "BODY[HEADER.FIELDS (SUBJECT)] {50}|short)",
                "* 5 FETCH (UID 4 FLAGS () INTERNALDATE \"09-Sep-2001 01:46:40 +0000\" RFC822.SIZE 1 BODY[TEXT] {2}|hi)",
                "* 5 FETCH (UID 4 FLAGS () INTERNALDATE \"09-Sep-2001 01:46:40 +0000\" RFC822.SIZE 1 "
                        + "BODY[HEADER.FIELDS (SUBJECT)] \"a\\\"b\")",
                "* 5 FETCH (UID 4 FLAGS (\\Seen INTERNALDATE \"09-Sep-2001 01:46:40 +0000\" RFC822.SIZE 1)",
                "* 5 FETCH (UID x FLAGS () INTERNALDATE \"09-Sep-2001 01:46:40 +0000\" RFC822.SIZE 1)",
                "* 5 FETCH (UID 4 FLAGS () INTERNALDATE \"09-Sep-2001 01:46:40 +0000\"",
            })
    void parseShouldLeaveToAngusWhatItDoesNotFullyUnderstand(String raw) {
        byte[] b = raw.replace("|", "\r\n").getBytes(StandardCharsets.ISO_8859_1);

        assertThat(FetchedMeta.parse(b, 0, b.length)).isNull();
    }

    /** Quoted rows keep their leading space (CsvSource trims unquoted values): the space-padded day. */
    @ParameterizedTest(name = "[{0}]")
    @CsvSource(
            delimiter = ';',
            value = {
                "09-Sep-2001 01:46:40 +0000 ; 1000000000",
                "' 9-Sep-2001 01:46:40 +0000' ; 1000000000",
                "9-Sep-2001 01:46:40 +0000  ; 1000000000",
                "09-Sep-2001 03:46:40 +0200 ; 1000000000",
                "08-Sep-2001 18:46:40 -0700 ; 1000000000",
                "01-Jan-1970 00:00:00 +0000 ; 0",
                "31-Dec-1969 23:59:59 +0000 ; -1",
            })
    void internalDateShouldGiveEpochSeconds(String date, long epoch) {
        byte[] b = date.getBytes(StandardCharsets.US_ASCII); // as between the quotes of INTERNALDATE "..."

        assertThat(FetchedMeta.internalDate(b, 0, b.length)).isEqualTo(epoch);
    }

    @Test
    void parseShouldPointAtTheHeaderLiteral() {
        byte[] b = expand("* 1 FETCH (UID 5 FLAGS () INTERNALDATE \"09-Sep-2001 01:46:40 +0000\" RFC822.SIZE 1 {HDR})")
                .getBytes(StandardCharsets.ISO_8859_1);

        FetchedMeta m = FetchedMeta.parse(b, 0, b.length);

        assertThat(new String(b, m.headerStart(), m.headerEnd() - m.headerStart(), StandardCharsets.ISO_8859_1))
                .isEqualTo(HDR.replace("|", "\r\n"));
        assertThat(m.uid()).isEqualTo(5);
        assertThat(m.internalDate()).isEqualTo(1_000_000_000L);
    }

    private static String expand(String template) {
        String hdr = HDR.replace("|", "\r\n");
        return template.replace("{HDR}", "BODY[HEADER.FIELDS (MESSAGE-ID DATE SUBJECT)] {" + hdr.length() + "}|" + hdr)
                .replace("|", "\r\n");
    }

    private static FetchResponse angus(String raw) throws Exception {
        IMAPProtocol p = new IMAPProtocol(
                InputStream.nullInputStream(),
                new PrintStream(OutputStream.nullOutputStream()),
                new Properties(),
                false);
        return new FetchResponse(new IMAPResponse(raw + "\r\n"), null, p);
    }
}
