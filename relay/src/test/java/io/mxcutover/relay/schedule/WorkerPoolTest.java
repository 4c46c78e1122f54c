package io.mxcutover.relay.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void poolShouldWakeMostRecentlyIdleWorkerFirst() throws Exception {
        WorkerPool<Integer> pool = new WorkerPool<>();
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (String name : List.of("first", "second", "third")) {
            WorkerPool.Slot<Integer> slot = pool.slot();
            Thread t = new Thread(() -> {
                try {
                    Integer item = pool.take(slot, 10, TimeUnit.SECONDS);
                    order.add(name + ":" + item);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            workers.add(t);
            // park one after the other so the idle order is known
            await().atMost(Duration.ofSeconds(5)).until(() -> t.getState() == Thread.State.TIMED_WAITING);
        }
        pool.offer(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 1);
        assertThat(order).containsExactly("third:1");
        pool.offer(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 2);
        pool.offer(3);
        for (Thread t : workers) {
            t.join(5000);
        }
        assertThat(order).containsExactly("third:1", "second:2", "first:3");
    }

    @Test
    void poolShouldHandEveryItemToExactlyOneWorkerUnderContention() throws Exception {
        WorkerPool<Integer> pool = new WorkerPool<>();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        List<Integer> duplicates = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            WorkerPool.Slot<Integer> slot = pool.slot();
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Integer i = pool.take(slot, 2, TimeUnit.MILLISECONDS);
                        if (i != null && !seen.add(i)) {
                            duplicates.add(i);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            workers.add(t);
        }
        for (int i = 0; i < 20_000; i++) {
            pool.offer(i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 20_000);
        stop.set(true);
        pool.close();
        for (Thread t : workers) {
            t.join(5000);
        }
        assertThat(duplicates).isEmpty();
    }
}
