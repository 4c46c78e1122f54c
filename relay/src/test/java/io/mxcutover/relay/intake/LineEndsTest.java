package io.mxcutover.relay.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LineEndsTest {

    @Test
    void lineEndSearchShouldMatchAPlainLoopAtEveryOffset() {
        Random random = new Random(42);
        byte[] alphabet = {'a', 'b', '\r', '\n', '.', (byte) 0x8d, (byte) 0x8a, 0, (byte) 0xff, 0x0c, 0x0e};
        for (int round = 0; round < 2000; round++) {
            byte[] a = new byte[random.nextInt(40)];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextInt(4) == 0
                        ? alphabet[random.nextInt(alphabet.length)]
                        : (byte) ('A' + random.nextInt(26));
            }
            for (int from = 0; from <= a.length; from++) {
                for (int to = from; to <= a.length; to++) {
                    int cr = from;
                    while (cr < to && a[cr] != '\r') {
                        cr++;
                    }
                    int any = from;
                    while (any < to && a[any] != '\r' && a[any] != '\n') {
                        any++;
                    }
                    assertThat(LineEnds.indexOfCr(a, from, to)).isEqualTo(cr);
                    assertThat(LineEnds.indexOfCrOrLf(a, from, to)).isEqualTo(any);
                }
            }
        }
    }
}
