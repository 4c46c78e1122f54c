package io.mxcutover.sync.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CopyEstimateTest {
    private static final CopyRate RATE = new CopyRate(10, 100_000, CopyRate.Source.SAMPLE, "test");

    /** {@code "messages:bytes:listingMillis"} per mailbox, separated by spaces; {@code x} a login that failed. */
    private static List<MailboxInventory> mailboxes(String spec) {
        List<MailboxInventory> out = new ArrayList<>();
        int n = 0;
        for (String m : spec.trim().split(" +")) {
            String address = "u" + (n++) + "@example.test";
            if (m.equals("x")) {
                out.add(MailboxInventory.failed(
                        address, MailboxInventory.Outcome.LOGIN_FAILED, "login refused", Duration.ofMillis(50)));
                continue;
            }
            String[] p = m.split(":");
            out.add(new MailboxInventory(
                    address,
                    MailboxInventory.Outcome.LISTED,
                    "",
                    "",
                    List.of(new FolderCount(
                            "INBOX", Long.parseLong(p[0]), Long.parseLong(p[1]), "INBOX", FolderCount.Fate.SAME, "")),
                    List.of(),
                    List.of(),
                    Duration.ofMillis(Long.parseLong(p[2]))));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} at {1} lanes: {2} ms")
    @CsvSource(delimiter = '|', textBlock = """
            # one mailbox: listing + the larger of messages/rate and bytes/rate
            100:10000:0                        | 1 | 10000
            100:5000000:0                      | 1 | 50000
            100:10000:2000                     | 1 | 12000
            # two lanes: the two largest run side by side, the small one after the shorter
            100:0:0 50:0:0 40:0:0              | 2 | 10000
            100:0:0 60:0:0 50:0:0              | 2 | 11000
            # more lanes than mailboxes: the largest decides
            100:0:0 10:0:0                     | 8 | 10000
            # a failed login adds nothing
            100:0:0 x                          | 1 | 10000
            # nothing to copy: only the listings, spread over the lanes
            0:0:500 0:0:500 0:0:500 0:0:500    | 2 | 1000
            x                                  | 4 | 0
            """)
    void estimateShouldLayMailboxesOnLanesLargestFirst(String spec, int lanes, long millis) {
        CopyEstimate e = CopyEstimate.of(mailboxes(spec), RATE, lanes);
        assertThat(e.duration()).isEqualTo(Duration.ofMillis(millis));
        assertThat(e.parallelism()).isEqualTo(lanes);
    }

    @Test
    void estimateShouldCountListedMailboxesAndTheirDataOnly() {
        CopyEstimate e = CopyEstimate.of(mailboxes("100:1000:0 x 20:500:0"), RATE, 2);
        assertThat(e.mailboxes()).isEqualTo(2);
        assertThat(e.notListed()).isEqualTo(1);
        assertThat(e.messages()).isEqualTo(120);
        assertThat(e.bytes()).isEqualTo(1500);
    }

    @ParameterizedTest(name = "estimate {0} ms, actual {1} ms: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10000 | 10000 | true
            10000 |  5000 | true
            10000 |  4999 | false
            10000 | 20000 | true
            10000 | 20001 | false
                0 |     0 | true
                0 |     1 | false
            """)
    void toleranceShouldBeHalfToTwiceTheEstimate(long estimate, long actual, boolean within) {
        CopyEstimate e = new CopyEstimate(Duration.ofMillis(estimate), RATE, 1, 1, 0, 1, 1);
        assertThat(e.withinTolerance(Duration.ofMillis(actual))).isEqualTo(within);
    }

    @Test
    void defaultRateShouldBeTheDocumentedOne() {
        assertThat(CopyRate.DEFAULT.messagesPerSecond()).isEqualTo(10);
        assertThat(CopyRate.DEFAULT.bytesPerSecond()).isEqualTo(200_000);
        assertThat(CopyRate.DEFAULT.source()).isEqualTo(CopyRate.Source.DEFAULT);
    }
}
