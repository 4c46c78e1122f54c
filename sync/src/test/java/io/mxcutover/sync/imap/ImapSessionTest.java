package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImapSessionTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1 2 3 5 7 8 9 | 1:3,5,7:9",
                "9 1           | 1,9",
                "4             | 4",
            })
    void uidSetShouldCompressRangesWhenUidsConsecutive(String uids, String expected) {
        assertThat(ImapSession.uidSet(Arrays.stream(uids.trim().split(" +"))
                        .map(Long::valueOf)
                        .toList()))
                .isEqualTo(expected);
    }
}
