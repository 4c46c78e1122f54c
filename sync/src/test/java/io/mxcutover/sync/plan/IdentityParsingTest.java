package io.mxcutover.sync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written line splitting and blank collapsing give exactly what the regex versions gave. */
class IdentityParsingTest {
    @Test
    void linesAndBlanksShouldMatchRegexVersionsWhenInputIsArbitrary() {
        Random random = new Random(42);
        char[] alphabet = {'a', 'B', ':', ' ', '\t', '\r', '\n', '\u00e9', '\u00a0', 'x'};
        for (int round = 0; round < 20_000; round++) {
            char[] c = new char[random.nextInt(40)];
            for (int i = 0; i < c.length; i++) {
                c[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String s = new String(c);
            assertThat(Identity.lines(s))
                    .as("lines of %s", Arrays.toString(c))
                    .containsExactly(s.split("\r\n|\n|\r", -1));
            assertThat(Identity.collapseBlanks(s))
                    .as("blanks of %s", Arrays.toString(c))
                    .isEqualTo(s.replaceAll("[ \t]+", " "));
        }
    }
}
