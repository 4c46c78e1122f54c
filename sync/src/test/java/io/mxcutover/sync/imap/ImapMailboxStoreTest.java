package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImapMailboxStoreTest {
    @ParameterizedTest(name = "{0} x{1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "A3 OK [APPENDUID 38505 3955] APPEND completed       | 1 | 3955",
            "A3 OK [APPENDUID 38505 3955:3957] done              | 3 | 3955 3956 3957",
            "A3 OK [APPENDUID 38505 5,7:8] done                  | 3 | 5 7 8",
            "A3 OK APPEND completed                              | 2 | 0 0",
            "A3 OK [APPENDUID 38505 3955:3956] count mismatch    | 3 | 0 0 0",
    })
    void appendUidsShouldExpandUidSetWhenServerHasUidplus(String response, int count, String expected) {
        assertThat(ImapMailboxStore.appendUids(response, count).stream().map(String::valueOf).toList())
                .isEqualTo(List.of(expected.split(" ")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "1 2 3 5 7 8 9 | 1:3,5,7:9",
            "9 1           | 1,9",
            "4             | 4",
    })
    void uidSetShouldCompressRangesWhenUidsConsecutive(String uids, String expected) {
        assertThat(ImapMailboxStore.uidSet(java.util.Arrays.stream(uids.trim().split(" +")).map(Long::valueOf).toList()))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "* BYE Server shutting down.                                        | THROTTLED",
            "* BYE Maximum number of connections from user+IP exceeded          | THROTTLED",
            "dropped                                                            | CONNECTION",
            "A4 NO [LIMIT] Too many commands                                    | THROTTLED",
            "A4 NO Request is throttled. Suggested Backoff Time: 2000 milliseconds | THROTTLED",
            "A4 NO [CANNOT] Invalid mailbox name                                | REFUSED",
    })
    void classifyShouldTellServerThrottleFromConnectionLossWhenCommandFails(String response, String kind)
            throws Exception {
        Exception cause;
        if (response.equals("dropped")) {
            cause = new org.eclipse.angus.mail.iap.ConnectionException(null,
                    org.eclipse.angus.mail.iap.Response.byeResponse(new java.io.IOException("Connection reset")));
        } else if (response.startsWith("* BYE")) {
            cause = new org.eclipse.angus.mail.iap.ConnectionException(null, new org.eclipse.angus.mail.iap.Response(response));
        } else {
            cause = new org.eclipse.angus.mail.iap.CommandFailedException(new org.eclipse.angus.mail.iap.Response(response));
        }
        ImapException e = ImapMailboxStore.classify("FETCH failed", new jakarta.mail.MessagingException(
                cause.getMessage(), cause), "legacy.example:143");

        assertThat(e.kind()).isEqualTo(ImapException.Kind.valueOf(kind));
        assertThat(e.server()).isEqualTo("legacy.example:143");
    }
}
