package io.mxcutover.sync.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.lease.LeaseStore.Lease;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What the lease and slot tables promise, on each engine ({@link LeaseStoreSqliteTest}, {@link LeaseStorePostgresIT}):
 * one holder at a time, renewal, expiry and takeover, fencing by generation, the order of claims, and the caps.
 * Each test works on mailboxes and servers of its own, so the engines' databases are made once per class.
 */
abstract class LeaseContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final long PERIOD = 30_000;

    abstract DataSource dataSource();

    /** Two "nodes": two stores on the same database (as two appliance JVMs would have). */
    private LeaseStore store() {
        return new LeaseStore(dataSource(), "sync_lease");
    }

    private static List<String> mailboxes(int n) {
        int run = SEQ.incrementAndGet();
        return IntStream.range(0, n)
                .mapToObj(i -> String.format("m%02d-%d@x.test", i, run))
                .toList();
    }

    @Test
    void leaseShouldGoToOneNodeUntilItExpiresThenToAnotherWithAHigherGeneration() throws Exception {
        LeaseStore n1 = store();
        LeaseStore n2 = store();
        String m = mailboxes(1).get(0);
        Lease a = n1.claim(m, "n1", 1_000, 1_000 + PERIOD).orElseThrow();
        assertThat(n2.claim(m, "n2", 2_000, 2_000 + PERIOD)).isEmpty();
        assertThat(n1.renew(a, 11_000, 11_000 + PERIOD)).isTrue();
        assertThat(n2.claim(m, "n2", 40_999, 40_999 + PERIOD))
                .as("renewed to 41 s")
                .isEmpty();
        // n1 died: its lease lapses and n2 takes the mailbox over.
        Lease b = n2.claim(m, "n2", 41_000, 41_000 + PERIOD).orElseThrow();
        assertThat(b.generation()).isEqualTo(a.generation() + 1);
        assertThat(n1.renew(a, 41_001, 41_001 + PERIOD))
                .as("the old holder's renewal")
                .isFalse();
        try (Connection c = dataSource().getConnection()) {
            assertThat(n1.holds(c, a, 41_001)).isFalse();
            assertThat(n2.holds(c, b, 41_001)).isTrue();
        }
        // A late release by the old holder frees nothing.
        n1.release(a, 42_000);
        assertThat(n1.claim(m, "n1", 42_000, 42_000 + PERIOD)).isEmpty();
        assertThat(n1.heldByNode(42_000)).containsEntry("n2", 1);
    }

    @Test
    void sameNodeShouldNotTakeItsOwnHeldLeaseTwice() {
        LeaseStore n1 = store();
        String m = mailboxes(1).get(0);
        assertThat(n1.claim(m, "n1", 1_000, 1_000 + PERIOD)).isPresent();
        assertThat(n1.claim(m, "n1", 1_001, 1_001 + PERIOD)).isEmpty();
    }

    @Test
    void releaseShouldFreeAtOnceAndTheNextClaimsGoToTheLongestSinceTheirPass() {
        LeaseStore n1 = store();
        LeaseStore n2 = store();
        List<String> ms = mailboxes(3);
        n1.ensure(ms);
        Lease first =
                n1.claimNext(ms, "n1", 1_000, 1_000 + PERIOD, Duration.ZERO).orElseThrow();
        assertThat(first.mailbox()).isEqualTo(ms.get(0));
        Lease second =
                n2.claimNext(ms, "n2", 1_000, 1_000 + PERIOD, Duration.ZERO).orElseThrow();
        assertThat(second.mailbox()).isEqualTo(ms.get(1));
        n2.release(second, 2_000);
        n1.release(first, 3_000);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Lease l =
                    n2.claimNext(ms, "n2", 4_000, 4_000 + PERIOD, Duration.ZERO).orElseThrow();
            order.add(l.mailbox());
        }
        assertThat(order).containsExactly(ms.get(2), ms.get(1), ms.get(0));
        assertThat(n1.claimNext(ms, "n1", 4_000, 4_000 + PERIOD, Duration.ZERO)).isEmpty();
    }

    @Test
    void claimNextShouldLeaveMailboxesAnotherNodePassedWithinTheRest() {
        LeaseStore n1 = store();
        LeaseStore n2 = store();
        List<String> ms = mailboxes(3);
        n1.ensure(ms);
        n2.release(n2.claim(ms.get(0), "n2", 1_000, 1_000 + PERIOD).orElseThrow(), 9_000);
        n2.release(n2.claim(ms.get(1), "n2", 1_000, 1_000 + PERIOD).orElseThrow(), 2_000);
        n1.release(n1.claim(ms.get(2), "n1", 1_000, 1_000 + PERIOD).orElseThrow(), 9_500);
        assertThat(n1.claimNext(ms, "n1", 10_000, 10_000 + PERIOD, Duration.ofSeconds(5)))
                .map(Lease::mailbox)
                .contains(ms.get(1));
        assertThat(n1.claimNext(ms, "n1", 10_000, 10_000 + PERIOD, Duration.ofSeconds(5)))
                .as("its own pass does not count")
                .map(Lease::mailbox)
                .contains(ms.get(2));
        assertThat(n1.claimNext(ms, "n1", 10_000, 10_000 + PERIOD, Duration.ofSeconds(5)))
                .isEmpty();
    }

    @Test
    void rowShouldTellWhoLastReleasedTheLeaseAndWhen() {
        LeaseStore n1 = store();
        List<String> ms = mailboxes(2);
        n1.ensure(ms);
        n1.release(n1.claim(ms.get(0), "n1", 1_000, 1_000 + PERIOD).orElseThrow(), 7_000);
        assertThat(n1.row(ms.get(0))).hasValueSatisfying(r -> {
            assertThat(r.node()).isEqualTo("n1");
            assertThat(r.releasedAt()).isEqualTo(7_000);
            assertThat(r.expiresAt()).isZero();
        });
        assertThat(n1.row(ms.get(1)))
                .hasValueSatisfying(r -> assertThat(r.releasedAt()).isZero());
        assertThat(n1.row("nobody-" + ms.get(0))).isEmpty();
    }

    @Test
    void twoNodesRacingForThirtyMailboxesShouldNeverBothHoldOne() throws Exception {
        List<String> ms = mailboxes(30);
        LeaseStore[] nodes = {store(), store()};
        nodes[0].ensure(ms);
        int threadsPerNode = 4;
        Map<String, String> holder = new ConcurrentHashMap<>();
        AtomicInteger claims = new AtomicInteger();
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode);
        try {
            for (int round = 0; round < rounds(); round++) {
                CyclicBarrier start = new CyclicBarrier(2 * threadsPerNode);
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 2 * threadsPerNode; t++) {
                    String node = "n" + (t % 2 + 1);
                    LeaseStore s = nodes[t % 2];
                    fs.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        for (int i = 0; i < 10; i++) {
                            long now = 1_000L + i;
                            Optional<Lease> l = s.claimNext(ms, node, now, now + PERIOD, Duration.ZERO);
                            if (l.isEmpty()) {
                                continue;
                            }
                            claims.incrementAndGet();
                            String other = holder.putIfAbsent(l.get().mailbox(), node);
                            if (other != null) {
                                violations.add(l.get().mailbox() + " held by " + other + " and " + node);
                            }
                            holder.remove(l.get().mailbox(), node);
                            s.release(l.get(), now);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(violations).isEmpty();
        assertThat(claims.get()).isGreaterThan(rounds() * 2 * threadsPerNode * 5);
    }

    /** How many times the race runs (bounded; PostgreSQL is the engine where it matters). */
    int rounds() {
        return 10;
    }

    @Test
    void slotsShouldNeverExceedTheCapUnderARaceOfTwoNodes() throws Exception {
        String server = "legacy" + SEQ.incrementAndGet() + ":143";
        int cap = 5;
        ServerSlotStore[] nodes = {new ServerSlotStore(dataSource()), new ServerSlotStore(dataSource())};
        nodes[0].ensure(server, cap);
        nodes[1].ensure(server, cap);
        AtomicInteger open = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String node = "n" + (t % 2 + 1);
                ServerSlotStore s = nodes[t % 2];
                LeaseRules.SlotUse use = t % 3 == 0 ? LeaseRules.SlotUse.IDLE : LeaseRules.SlotUse.COPY;
                fs.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < 2 * rounds(); i++) {
                        Optional<ServerSlotStore.Slot> slot =
                                s.claim(server, LeaseRules.slots(use, cap), node, "t", 1_000, 1_000 + PERIOD);
                        if (slot.isEmpty()) {
                            continue;
                        }
                        taken.incrementAndGet();
                        most.accumulateAndGet(open.incrementAndGet(), Math::max);
                        open.decrementAndGet();
                        s.release(slot.get());
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(most.get()).isBetween(1, cap);
        assertThat(taken.get()).isPositive();
        assertThat(nodes[0].held(server, 1_000)).isZero();
    }

    @Test
    void slotsShouldBeCappedExpireWithTheirHolderAndLeaveCopiesHalf() {
        String server = "new" + SEQ.incrementAndGet() + ":143";
        ServerSlotStore n1 = new ServerSlotStore(dataSource());
        ServerSlotStore n2 = new ServerSlotStore(dataSource());
        n1.ensure(server, 4);
        LeaseRules.SlotRange idle = LeaseRules.slots(LeaseRules.SlotUse.IDLE, 4);
        LeaseRules.SlotRange copy = LeaseRules.slots(LeaseRules.SlotUse.COPY, 4);
        ServerSlotStore.Slot i1 =
                n1.claim(server, idle, "n1", "a idle", 1_000, 31_000).orElseThrow();
        ServerSlotStore.Slot i2 =
                n1.claim(server, idle, "n1", "b idle", 1_000, 31_000).orElseThrow();
        assertThat(List.of(i1.slot(), i2.slot())).containsExactly(0, 1);
        assertThat(n2.claim(server, idle, "n2", "c idle", 1_000, 31_000))
                .as("IDLE gets half")
                .isEmpty();
        ServerSlotStore.Slot c1 =
                n2.claim(server, copy, "n2", "d copy", 1_000, 100_000).orElseThrow();
        assertThat(c1.slot()).isEqualTo(3);
        assertThat(n2.claim(server, copy, "n2", "e copy", 1_000, 100_000)).isPresent();
        assertThat(n2.claim(server, copy, "n2", "f copy", 1_000, 100_000))
                .as("cap 4")
                .isEmpty();
        assertThat(n1.held(server, 1_000)).isEqualTo(4);
        // n1 renews one slot and dies: the other expires and n2 takes it; n1's late renewal and release do nothing.
        assertThat(n1.renew(i1, 20_000, 50_000)).isTrue();
        ServerSlotStore.Slot taken =
                n2.claim(server, copy, "n2", "g copy", 31_000, 61_000).orElseThrow();
        assertThat(taken.slot()).isEqualTo(1);
        assertThat(n1.renew(i2, 31_001, 61_001)).isFalse();
        n1.release(i2);
        assertThat(n1.held(server, 31_001)).isEqualTo(4);
        n2.release(c1);
        assertThat(n1.held(server, 31_001)).isEqualTo(3);
    }
}
