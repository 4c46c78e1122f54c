package io.mxcutover.sync.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.sync.lease.LeaseRules.LeaseRow;
import io.mxcutover.sync.lease.LeaseRules.SlotRange;
import io.mxcutover.sync.lease.LeaseRules.SlotUse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeaseRulesTest {
    private static final Duration PERIOD = Duration.ofSeconds(30);

    @ParameterizedTest(name = "expires {0}, now {1}: free {2}")
    @CsvSource({"0, 1000, true", "1000, 1000, true", "1001, 1000, false", "999, 1000, true", "50000, 1000, false"})
    void leaseShouldBeFreeFromItsExpiry(long expiresAt, long now, boolean free) {
        assertThat(LeaseRules.free(expiresAt, now)).isEqualTo(free);
    }

    @ParameterizedTest(name = "renewed {0}, now {1}: due {2}")
    @CsvSource({
        "0, 9999, false", // a third of 30 s is 10 s
        "0, 10000, true",
        "0, 25000, true",
        "5000, 14999, false",
        "5000, 15000, true"
    })
    void renewalShouldBeDueEveryThirdOfThePeriod(long renewedAt, long now, boolean due) {
        assertThat(LeaseRules.renewalDue(renewedAt, now, PERIOD)).isEqualTo(due);
    }

    @ParameterizedTest(name = "expires {0}, now {1}: writable {2}")
    @CsvSource({
        "30000, 0, true", // just claimed
        "30000, 19999, true", // one renewal missed: still 10.001 s left
        "30000, 20000, false", // a third left: stop before the lease can lapse
        "30000, 29999, false",
        "30000, 31000, false"
    })
    void holderShouldWriteOnlyWhileMoreThanAThirdIsLeft(long expiresAt, long now, boolean writable) {
        assertThat(LeaseRules.writable(expiresAt, now, PERIOD)).isEqualTo(writable);
    }

    @Test
    void renewalShouldKeepAHealthyHolderWritable() {
        // Renewing every third keeps at least two thirds left: always writable between renewals.
        long renewEvery = LeaseRules.renewEvery(PERIOD).toMillis();
        for (long renewedAt = 0; renewedAt < 100_000; renewedAt += renewEvery) {
            long expiresAt = renewedAt + PERIOD.toMillis();
            assertThat(LeaseRules.writable(expiresAt, renewedAt + renewEvery - 1, PERIOD))
                    .isTrue();
        }
    }

    @Test
    void orderShouldTakeNeverPassedFirstThenTheLongestSinceItsPass() {
        List<LeaseRow> rows = List.of(
                new LeaseRow("a@x", "n1", 0, 3, 5_000),
                new LeaseRow("b@x", "n1", 0, 1, 1_000),
                new LeaseRow("c@x", null, 0, 0, 0),
                new LeaseRow("d@x", "n2", 0, 2, 3_000));
        assertThat(LeaseRules.order(List.of("a@x", "b@x", "c@x", "d@x", "e@x"), rows, "n1", 10_000, Duration.ZERO))
                .containsExactly("c@x", "e@x", "b@x", "d@x", "a@x");
    }

    @Test
    void orderShouldLeaveMailboxesHeldByANodeAndThoseOutsideTheCandidates() {
        List<LeaseRow> rows = List.of(
                new LeaseRow("a@x", "n2", 20_000, 3, 0), // held until 20 s
                new LeaseRow("b@x", "n2", 10_000, 1, 0), // expired at 10 s: its node died
                new LeaseRow("z@x", null, 0, 0, 0));
        assertThat(LeaseRules.order(List.of("a@x", "b@x", "a@x"), rows, "n1", 10_000, Duration.ZERO))
                .containsExactly("b@x");
    }

    /** row's node | expires at | released at | node asking | expected (-1: unknown). Now is 10,000. */
    @ParameterizedTest(name = "{0} expires {1} released {2}, asked by {3} -> {4}")
    @CsvSource({
        "n2, 0,      9000, n1, 9000", // another node passed it and let go: that pass
        "n2, 0,      9000, n2, -1", // its own pass: not another node's
        "n2, 40000,  9000, n1, -1", // another node holds it now: its pass ends later
        "n2, 0,      0,    n1, -1", // never released
        "n2, 10000,  9000, n1, 9000", // expired exactly now: free
    })
    void passedElsewhereShouldBeAnotherNodesReleaseOfAFreeLease(
            String holder, long expires, long released, String asking, long expected) {
        java.util.OptionalLong at = LeaseRules.passedElsewhere(
                java.util.Optional.of(new LeaseRow("a@x", holder, expires, 1, released)), asking, 10_000);
        if (expected < 0) {
            assertThat(at).isEmpty();
        } else {
            assertThat(at).hasValue(expected);
        }
        assertThat(LeaseRules.passedElsewhere(java.util.Optional.empty(), asking, 10_000))
                .as("no row yet")
                .isEmpty();
    }

    @Test
    void orderShouldLeaveMailboxesAnotherNodePassedWithinTheRest() {
        List<LeaseRow> rows = List.of(new LeaseRow("a@x", "n2", 0, 1, 9_000), new LeaseRow("b@x", "n2", 0, 1, 4_000));
        assertThat(LeaseRules.order(List.of("a@x", "b@x"), rows, "n1", 10_000, Duration.ofSeconds(5)))
                .containsExactly("b@x");
        assertThat(LeaseRules.order(List.of("a@x", "b@x"), rows, "n1", 10_000, Duration.ofSeconds(7)))
                .isEmpty();
        // Its own passes do not hold a node back (its rounds have their interval; a test clock may stand still).
        assertThat(LeaseRules.order(List.of("a@x", "b@x"), rows, "n2", 10_000, Duration.ofSeconds(7)))
                .containsExactly("b@x", "a@x");
    }

    @ParameterizedTest(name = "{0} of cap {1}: {2}..{3} descending {4}")
    @CsvSource({
        "COPY, 40, 0, 39, true",
        "IDLE, 40, 0, 19, false",
        "COPY, 1, 0, 0, true",
        "IDLE, 1, 0, -1, false", // no IDLE when the cap is one connection
        "IDLE, 2, 0, 0, false",
        "IDLE, 3, 0, 0, false"
    })
    void slotsShouldLeaveCopiesAtLeastHalfOfAServer(SlotUse use, int cap, int low, int high, boolean descending) {
        SlotRange r = LeaseRules.slots(use, cap);
        assertThat(r).isEqualTo(new SlotRange(low, high, descending));
        assertThat(r.empty()).isEqualTo(high < low);
    }

    @Test
    void slotsShouldRefuseACapBelowOne() {
        assertThatThrownBy(() -> LeaseRules.slots(SlotUse.COPY, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "node ''{0}'', {1} s, caps {2}/{3}: valid {4}")
    @CsvSource({
        "node-1, 30, 40, 40, true",
        "a.b_c-9, 1, 1, 1, true",
        "'', 30, 40, 40, false",
        "bad node, 30, 40, 40, false",
        "n, 0, 40, 40, false",
        "n, 3601, 40, 40, false",
        "n, 30, 0, 40, false",
        "n, 30, 40, 0, false"
    })
    void settingsShouldValidate(String node, int seconds, int legacy, int fresh, boolean valid) {
        if (valid) {
            assertThat(new LeaseSettings(node, Duration.ofSeconds(seconds), legacy, fresh).node())
                    .isEqualTo(node);
        } else {
            assertThatThrownBy(() -> new LeaseSettings(node, Duration.ofSeconds(seconds), legacy, fresh))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Three nodes looking at 1,000 mailboxes at once: each starts on mailboxes of its own. Of each node's first 6
     * (its workers' first picks), few are another node's first 6; the order is stable for a node.
     */
    @Test
    void lookOrderShouldGiveEachNodeItsOwnStableOrder() {
        List<String> mailboxes = java.util.stream.IntStream.rangeClosed(1, 1000)
                .mapToObj(i -> String.format("scale%05d@example.test", i))
                .toList();
        java.util.Map<String, List<String>> orders = new java.util.TreeMap<>();
        for (String node : List.of("node1", "node2", "node3")) {
            List<String> order = mailboxes.stream()
                    .sorted(java.util.Comparator.comparingLong(m -> LeaseRules.lookOrder(node, m)))
                    .toList();
            assertThat(order).containsExactlyInAnyOrderElementsOf(mailboxes);
            assertThat(mailboxes.stream()
                            .sorted(java.util.Comparator.comparingLong(m -> LeaseRules.lookOrder(node, m)))
                            .toList())
                    .isEqualTo(order);
            orders.put(node, order);
        }
        for (String a : orders.keySet()) {
            for (String b : orders.keySet()) {
                if (a.compareTo(b) < 0) {
                    List<String> firstOfA = orders.get(a).subList(0, 6);
                    List<String> firstOfB = orders.get(b).subList(0, 6);
                    assertThat(firstOfA.stream().filter(firstOfB::contains).count())
                            .as("%s and %s start on the same mailboxes", a, b)
                            .isLessThanOrEqualTo(1);
                    assertThat(orders.get(a)).isNotEqualTo(orders.get(b));
                }
            }
        }
    }
}
