package io.mxcutover.relay.intake;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds CR and LF in byte arrays eight bytes at a time (SWAR: a word has a byte equal to
 * {@code c} when {@code (x - 0x01..01) & ~x & 0x80..80} is non-zero for {@code x = word ^ c*0x01..01}).
 * Mail lines average some 70 bytes, so most words hold neither and are skipped in one step;
 * intake scans every received byte twice (end of DATA, line-ending check), which made these
 * loops the relay's hottest code.
 */
final class LineEnds {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long CRS = ONES * '\r';
    private static final long LFS = ONES * '\n';

    private LineEnds() {}

    private static long has(long word, long pattern) {
        long x = word ^ pattern;
        return (x - ONES) & ~x & HIGHS;
    }

    /** Index of the first CR in {@code a[from, to)}, or {@code to}. */
    static int indexOfCr(byte[] a, int from, int to) {
        int i = from;
        while (i + 8 <= to && has((long) LONGS.get(a, i), CRS) == 0) {
            i += 8;
        }
        while (i < to && a[i] != '\r') {
            i++;
        }
        return i;
    }

    /** Index of the first CR or LF in {@code a[from, to)}, or {@code to}. */
    static int indexOfCrOrLf(byte[] a, int from, int to) {
        int i = from;
        while (i + 8 <= to) {
            long w = (long) LONGS.get(a, i);
            if ((has(w, CRS) | has(w, LFS)) != 0) {
                break;
            }
            i += 8;
        }
        while (i < to && a[i] != '\r' && a[i] != '\n') {
            i++;
        }
        return i;
    }
}
