package io.mxcutover.sync.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.imap.RawMessage;
import io.mxcutover.sync.plan.Identity;
import io.mxcutover.sync.plan.MessageMeta;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The two decisions of a read-ahead batch: which messages it reads, and which of them the folder then uses. */
class BatchCopierTest {
    /** Sizes, then the limits (messages, bytes, large), and how many of the first messages make the batch. */
    @ParameterizedTest(name = "sizes {0}, at most {1} messages / {2} bytes, large over {3}: first {4}")
    @CsvSource({
        "'100 100 100 100 100', 4, 10000, 1000, 4", // the message count
        "'100 100 100 100 100', 9, 250, 1000, 3", // the byte limit is reached by the third: it stays in
        "'100 100 100 100 100', 9, 300, 1000, 3", // exactly at the byte limit: no fourth
        "'100 2000 100', 9, 10000, 1000, 1", // a large message ends it (it is fetched in slices)
        "'2000 100', 9, 10000, 1000, 0", // a large one first: nothing is read ahead
        "'1000 100', 9, 10000, 1000, 2", // exactly the large threshold is not large
        "'5000', 9, 100, 10000, 1", // over the byte limit alone: still one (as the fetcher's batch)
        "'', 9, 10000, 1000, 0", // nothing to copy
    })
    void firstBatchShouldBeCutAsTheFetchersFirstBatch(
            String sizes, int batchMessages, long batchBytes, long large, int expected) {
        List<MessageMeta> messages = metas(sizes);

        List<MessageMeta> first = BatchCopier.firstBatch(messages, batchMessages, batchBytes, large);

        assertThat(first).containsExactlyElementsOf(messages.subList(0, expected));
    }

    /** UIDs the folder will copy, UIDs read ahead, and how many read ahead it uses. */
    @ParameterizedTest(name = "copies {0}, read ahead {1}: uses {2}")
    @CsvSource({
        "'1 2 3 4 5', '1 2 3', 3", // the usual case: the first batch of the copies
        "'1 2 3', '1 2 3', 3", // the whole folder
        "'2 3 4', '1 2 3', 0", // the first one was adopted on the target: nothing in order, nothing used
        "'1 3 4', '1 2 3', 1", // the second was adopted: only the prefix before it
        "'1 2', '1 2 3', 2", // fewer copies than read
        "'', '1 2', 0", // nothing to copy
        "'1 2', '', 0", // nothing read ahead
    })
    void onlyTheBodiesOfTheFirstCopiesInOrderShouldBeUsed(String copies, String fetched, int expected) {
        List<RawMessage> raws = uids(fetched).stream()
                .map(m -> RawMessage.inMemory(m, new byte[] {'x'}))
                .toList();

        assertThat(BatchCopier.matchingPrefix(uids(copies), raws)).isEqualTo(expected);
    }

    /** Messages with UIDs 1, 2, ... and the given sizes. */
    private static List<MessageMeta> metas(String sizes) {
        long[] s = Arrays.stream(sizes.trim().split(" +"))
                .filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong)
                .toArray();
        return java.util.stream.IntStream.range(0, s.length)
                .mapToObj(i -> new MessageMeta(i + 1, new Identity("<" + i + "@x>", s[i], 0, "d" + i), Set.of(), 0))
                .toList();
    }

    /** Messages of size 1 with the given UIDs. */
    private static List<MessageMeta> uids(String uids) {
        return Arrays.stream(uids.trim().split(" +"))
                .filter(x -> !x.isEmpty())
                .map(u -> new MessageMeta(Long.parseLong(u), new Identity("<" + u + "@x>", 1, 0, "d" + u), Set.of(), 0))
                .toList();
    }
}
