package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.plan.Identity;
import io.mxcutover.sync.plan.MessageMeta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchRampTest {
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final double MB_PER_S = 1_000_000;

    @ParameterizedTest(name = "{0} at {3} MB/s -> {4}")
    @CsvSource({
        // limit; floor; max; MB/s; next
        "262144, 262144, 8388608, 0, 524288", // nothing measured: the plain ramp doubles
        "4194304, 262144, 8388608, 0, 8388608",
        "8388608, 262144, 8388608, 0, 8388608", // never above the max
        "6291456, 262144, 8388608, 0, 8388608", // a doubling past the max stops at it
        "4194304, 262144, 8388608, 30, 8388608", // loopback, 30 MB/s a mailbox: 8 MiB take 0.28 s: grow
        "4194304, 262144, 8388608, 9, 8388608", // 8 MiB at 9 MB/s: 0.93 s, still under a second
        "1048576, 262144, 8388608, 3.1, 2097152", // 100 Mbit/s over four mailboxes: 2 MiB take 0.68 s: grow
        "2097152, 262144, 8388608, 3.1, 2097152", // 4 MiB would take 1.35 s; 2 MiB take 0.68 s: hold
        "8388608, 262144, 8388608, 3.1, 4194304", // a full batch took 2.7 s: halve
        "4194304, 262144, 8388608, 3.1, 2097152", // 4 MiB took 1.35 s: halve
        "524288, 262144, 8388608, 0.1, 262144", // a crawl: down to the floor
        "262144, 262144, 8388608, 0.1, 262144", // and no lower
    })
    void nextLimitShouldKeepABatchBetweenHalfASecondAndASecondOfTransfer(
            long limit, long floor, long max, double mbPerSecond, long expected) {
        assertThat(BatchRamp.nextLimit(limit, floor, max, mbPerSecond * MB_PER_S))
                .isEqualTo(expected);
    }

    private static List<MessageMeta> messages(int count, long size) {
        List<MessageMeta> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(new MessageMeta(
                    i,
                    Identity.of(("Message-ID: <r" + i + "@x>\r\n").getBytes(StandardCharsets.US_ASCII), size, 0),
                    Set.of(),
                    0));
        }
        return out;
    }

    /** The limits a run is cut with when every byte-bound batch comes at {@code bytesPerSecond} (0: instantly). */
    private static List<Long> limits(BatchRamp ramp, List<MessageMeta> run, double bytesPerSecond) {
        List<Long> out = new ArrayList<>();
        for (int from = 0; from < run.size(); ) {
            BatchRamp.Batch b = ramp.next(run, from);
            out.add(ramp.limit() / KIB);
            long bytes =
                    b.messages().stream().mapToLong(m -> m.identity().size()).sum();
            if (b.byteBound()) {
                ramp.observe(bytes, bytesPerSecond > 0 ? (long) (bytes / bytesPerSecond * 1e9) : 0);
            }
            from += b.messages().size();
        }
        return out;
    }

    @Test
    void aFastLinkShouldRampToTheFullBatchAndASlowOneSettleBelowIt() {
        List<MessageMeta> run = messages(600, 64 * KIB);

        assertThat(limits(new BatchRamp(200, 8 * MIB, 256 * KIB), run, 30 * MB_PER_S))
                .startsWith(256L, 512L, 1024L, 2048L, 4096L, 8192L, 8192L);
        assertThat(limits(new BatchRamp(200, 8 * MIB, 256 * KIB), run, 3.1 * MB_PER_S))
                .startsWith(256L, 512L, 1024L, 2048L, 2048L, 2048L)
                .allMatch(kib -> kib <= 2048);
    }

    @Test
    void aCopyStartedWithAFullBatchShouldComeDownOnASlowLink() {
        List<MessageMeta> run = messages(600, 64 * KIB);

        assertThat(limits(new BatchRamp(200, 8 * MIB, Long.MAX_VALUE), run, 3.1 * MB_PER_S))
                .startsWith(8192L, 4096L, 2048L, 2048L);
    }

    @Test
    void batchesEndedByTheMessageCountShouldNotSizeTheByteLimit() {
        // 200 messages of 4 KiB: 800 KiB, under every limit from 1 MiB: never byte-bound, so the plain ramp
        // doubles even on a slow link (the limit does not bind these batches anyway).
        BatchRamp ramp = new BatchRamp(200, 8 * MIB, MIB);
        List<MessageMeta> run = messages(1_000, 4 * KIB);

        assertThat(limits(ramp, run, 0.1 * MB_PER_S)).containsExactly(1024L, 2048L, 4096L, 8192L, 8192L);
    }

    @Test
    void aBatchShouldHoldAtLeastOneMessageAndStopBeforeTheLimit() {
        BatchRamp ramp = new BatchRamp(200, 8 * MIB, 100 * KIB);
        List<MessageMeta> run = messages(3, 150 * KIB);

        BatchRamp.Batch first = ramp.next(run, 0);

        assertThat(first.messages()).hasSize(1);
        assertThat(first.byteBound()).isTrue();
        BatchRamp.Batch rest = ramp.next(run, 1); // 200 KiB: both fit only at 300 KiB
        assertThat(rest.messages()).hasSize(1);
        assertThat(ramp.next(run, 2).byteBound()).isFalse(); // the run's end
    }
}
