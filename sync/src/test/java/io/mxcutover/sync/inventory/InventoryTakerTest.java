package io.mxcutover.sync.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryTakerTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            H11 NO [CANNOT] Invalid mailbox name: Contains reserved name (0.001 + 0.000 secs). | [CANNOT] Invalid mailbox name: Contains reserved name
            A4 NO Mailbox name too long                                                          | Mailbox name too long
            [CANNOT] Invalid mailbox name                                                        | [CANNOT] Invalid mailbox name
            """)
    void serverWordsShouldDropTagAndTiming(String text, String words) {
        assertThat(InventoryTaker.serverWords(text)).isEqualTo(words);
    }
}
