package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImapTargetStoreTest {
    @ParameterizedTest(name = "{0} x{1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "A3 OK [APPENDUID 38505 3955] APPEND completed       | 1 | 3955",
                "A3 OK [APPENDUID 38505 3955:3957] done              | 3 | 3955 3956 3957",
                "A3 OK [APPENDUID 38505 5,7:8] done                  | 3 | 5 7 8",
                "A3 OK APPEND completed                              | 2 | 0 0",
                "A3 OK [APPENDUID 38505 3955:3956] count mismatch    | 3 | 0 0 0",
            })
    void appendUidsShouldExpandUidSetWhenServerHasUidplus(String response, int count, String expected) {
        assertThat(ImapTargetStore.appendUids(response, count).stream()
                        .map(String::valueOf)
                        .toList())
                .isEqualTo(List.of(expected.split(" ")));
    }
}
