package io.mxcutover.sync.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImapSessionTest {
    /** Connections with the same properties share one Jakarta Mail session; any property that differs, its own. */
    @org.junit.jupiter.api.Test
    void connectionsWithTheSamePropertiesShouldShareOneMailSession() {
        java.util.Properties a = new java.util.Properties();
        a.setProperty("mail.imap.timeout", "120000");
        a.setProperty("mail.imap.peek", "true");
        java.util.Properties same = new java.util.Properties();
        same.setProperty("mail.imap.peek", "true");
        same.setProperty("mail.imap.timeout", "120000");
        java.util.Properties other = new java.util.Properties();
        other.putAll(a);
        other.setProperty("mail.imap.sasl.authorizationid", "anna");
        assertThat(ImapSession.session(same)).isSameAs(ImapSession.session(a));
        assertThat(ImapSession.session(other)).isNotSameAs(ImapSession.session(a));
        assertThat(ImapSession.session(other).getProperty("mail.imap.sasl.authorizationid"))
                .isEqualTo("anna");
    }

    /**
     * A large message is streamed only when the consumer takes streams, this session saw a message whose bytes
     * matched its RFC822.SIZE, and the server never sent one that did not: a streamed literal announces that size.
     */
    @ParameterizedTest(name = "takes {0}, exact seen {1}, server inexact {2} -> {3}")
    @CsvSource({
        "true,  1, false, true",
        "true,  0, false, false",
        "true,  9, true,  false",
        "false, 9, false, false",
    })
    void largeMessagesShouldBeStreamedOnlyFromServersWhoseSizesProvedExact(
            boolean takes, long exact, boolean inexact, boolean streamed) {
        assertThat(ImapSession.streamable(takes, exact, inexact)).isEqualTo(streamed);
    }

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

    private static io.mxcutover.sync.plan.MessageMeta message(long uid, long size) {
        return new io.mxcutover.sync.plan.MessageMeta(
                uid,
                io.mxcutover.sync.plan.Identity.of(
                        ("Message-ID: <m" + uid + "@x>\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        size,
                        0),
                java.util.Set.of(),
                0);
    }

    /** The plan written as text: a run of batches as [uids|uids], a large message as L<uid>. */
    private static String plan(List<Long> sizes, int batchMessages, long batchBytes, long largeBytes) {
        return plan(sizes, batchMessages, batchBytes, largeBytes, Long.MAX_VALUE);
    }

    private static String plan(
            List<Long> sizes, int batchMessages, long batchBytes, long largeBytes, long firstBatchBytes) {
        List<io.mxcutover.sync.plan.MessageMeta> messages = new java.util.ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            messages.add(message(i + 1, sizes.get(i)));
        }
        StringBuilder out = new StringBuilder();
        BatchRamp ramp = new BatchRamp(batchMessages, batchBytes, firstBatchBytes);
        for (ImapSession.FetchStep step : ImapSession.fetchPlan(messages, largeBytes)) {
            if (step instanceof ImapSession.FetchStep.Run run) {
                List<String> batches = new java.util.ArrayList<>();
                for (int from = 0; from < run.messages().size(); ) {
                    List<io.mxcutover.sync.plan.MessageMeta> batch =
                            ramp.next(run.messages(), from).messages();
                    from += batch.size();
                    batches.add(batch.stream()
                            .map(m -> String.valueOf(m.uid()))
                            .collect(java.util.stream.Collectors.joining(",")));
                }
                out.append('[').append(String.join("|", batches)).append(']');
            } else if (step instanceof ImapSession.FetchStep.Large large) {
                out.append("L").append(large.message().uid());
            }
            out.append(' ');
        }
        return out.toString().trim();
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @CsvSource(
            delimiter = ';',
            value = {
                // sizes; batch messages; batch bytes; large above; plan
                "10 10 10 10 10; 2; 1000; 500; [1,2|3,4|5]",
                "10 10 10 10; 10; 25; 500; [1,2|3,4]",
                "600; 10; 1000; 500; L1",
                "10 600 10 10 700 800 10; 10; 1000; 500; [1] L2 [3,4] L5 L6 [7]",
                "900 10; 10; 100; 500; L1 [2]",
                "80 80; 10; 100; 500; [1|2]",
                "500 501; 10; 10000; 500; [1] L2",
            })
    void fetchPlanShouldBatchSmallMessagesBetweenLargeOnesInOrder(
            String sizes, int batchMessages, long batchBytes, long largeBytes, String expected) {
        List<Long> parsed =
                Arrays.stream(sizes.trim().split(" +")).map(Long::valueOf).toList();

        assertThat(plan(parsed, batchMessages, batchBytes, largeBytes)).isEqualTo(expected);
    }

    /** The ramp: the first batch holds at most the first limit, each next one twice as much, up to the batch limit. */
    @ParameterizedTest(name = "{0}, first {3} -> {4}")
    @CsvSource(
            delimiter = ';',
            value = {
                // sizes; batch messages; batch bytes; first batch bytes; plan
                "10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10; 100; 80; 10; [1|2,3|4,5,6,7|8,9,10,11,12,13,14,15|16]",
                "10 10 10 10 10 10 10; 100; 1000; 25; [1,2|3,4,5,6,7]", // 25, then 50: the rest fits
                "30 10 10; 100; 1000; 10; [1|2,3]", // a message over the first limit is a batch of its own
                "10 10 10 10; 2; 1000; 1000; [1,2|3,4]", // a first limit above the batch limit: the batch limit
                "10 10 10 10; 100; 1000; 9223372036854775807; [1,2,3,4]", // no ramp
                "10 600 10 10 10; 100; 1000; 10; [1] L2 [3,4|5]", // a large message does not restart the ramp
            })
    void fetchPlanShouldRampTheFirstBatchesUpToTheBatchLimit(
            String sizes, int batchMessages, long batchBytes, long firstBatchBytes, String expected) {
        List<Long> parsed =
                Arrays.stream(sizes.trim().split(" +")).map(Long::valueOf).toList();

        assertThat(plan(parsed, batchMessages, batchBytes, 500, firstBatchBytes))
                .isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void fetchPlanShouldBeEmptyForNoMessages() {
        assertThat(ImapSession.fetchPlan(List.of(), 500)).isEmpty();
    }
}
