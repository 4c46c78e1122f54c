package io.mxcutover.sync.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.it.MutableClock;
import io.mxcutover.sync.state.LeaseLostException;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.state.SyncStore;
import io.mxcutover.sync.testing.TestState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's leases on the clock: renewal, the fence of the journal and of the new server, stop and death. */
class NodeLeasesTest {
    private static final Duration PERIOD = Duration.ofSeconds(30);

    private static final java.util.concurrent.atomic.AtomicInteger SEQ =
            new java.util.concurrent.atomic.AtomicInteger();

    @TempDir
    static Path dir;

    private static DataSource ds;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    /** This test's own mailboxes and servers: the database is made once for the class. */
    private final String p = "t" + SEQ.incrementAndGet() + "-";

    private NodeLeases n1;
    private NodeLeases n2;

    @org.junit.jupiter.api.BeforeAll
    static void database() {
        ds = TestState.open(dir.resolve("sync.db"));
    }

    @BeforeEach
    void open() {
        n1 = new NodeLeases(ds, new LeaseSettings("n1", PERIOD, 4, 4), clock, clock::advance);
        n2 = new NodeLeases(ds, new LeaseSettings("n2", PERIOD, 4, 4), clock, clock::advance);
    }

    @Test
    void holderShouldKeepTheLeaseWhileItRenewsAndLoseItWhenItStops() {
        HeldLease l = n1.claim(p + "a@x").orElseThrow();
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(10));
            n1.renewDue();
            assertThat(n2.claim(p + "a@x")).isEmpty();
            assertThat(l.writable()).isTrue();
        }
        // The renewals stop (a pause): two thirds later the holder may no longer write, at the period it is free.
        clock.advance(Duration.ofSeconds(20));
        assertThat(l.writable()).isFalse();
        assertThat(l.lost()).isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(l.lost()).isTrue();
        HeldLease taken = n2.claim(p + "a@x").orElseThrow();
        assertThat(taken.generation()).isEqualTo(l.generation() + 1);
        n1.renewDue();
        assertThat(n1.held()).isZero();
    }

    @Test
    void journalWriteShouldBeRefusedToANodeWhoseLeaseWasTakenOver() {
        SyncStore store = new SyncStore(ds, clock).fencedBy(n1);
        HeldLease l = n1.claim(p + "a@x").orElseThrow();
        try (NodeLeases.Binding b = n1.bind(l)) {
            store.mailboxFinished(p + "a@x", MailboxStatus.Phase.SYNCED, null);
            store.beforeTargetWrite(p + "a@x");
            // A pause longer than the lease: another node takes the mailbox.
            clock.advance(PERIOD);
            assertThat(n2.claim(p + "a@x")).isPresent();
            assertThatThrownBy(() -> store.beforeTargetWrite(p + "a@x")).isInstanceOf(LeaseLostException.class);
            assertThatThrownBy(() -> store.mailboxFinished(p + "a@x", MailboxStatus.Phase.SYNCED, null))
                    .isInstanceOf(LeaseLostException.class);
            // Another mailbox's rows (the admin's, outside a pass) are not this lease's business.
            store.mailboxFinished(p + "b@x", MailboxStatus.Phase.SYNCED, null);
        }
        // Outside the pass the store writes as before.
        store.mailboxFinished(p + "a@x", MailboxStatus.Phase.SYNCED, null);
    }

    @Test
    void journalWriteShouldBeRefusedWhenTheLeaseLapsedEvenIfNoOneTookIt() {
        SyncStore store = new SyncStore(ds, clock).fencedBy(n1);
        HeldLease l = n1.claim(p + "a@x").orElseThrow();
        try (NodeLeases.Binding b = n1.bind(l)) {
            clock.advance(PERIOD.plusMillis(1));
            assertThatThrownBy(() -> store.mailboxFinished(p + "a@x", MailboxStatus.Phase.SYNCED, null))
                    .isInstanceOf(LeaseLostException.class);
        }
    }

    @Test
    void closeShouldReleaseEverythingAndAbandonNothing() throws Exception {
        assertThat(n1.claim(p + "a@x")).isPresent();
        assertThat(n1.claimIdle(p + "b@x")).isPresent();
        Optional<HeldSlot> slot = n1.slot(p + "legacy:143", 4, LeaseRules.SlotUse.COPY, "a@x copy", false);
        assertThat(slot).isPresent();
        n1.close();
        assertThat(n1.claim(p + "c@x")).as("a stopped node claims nothing").isEmpty();
        assertThat(n2.claim(p + "a@x")).isPresent();
        assertThat(n2.claimIdle(p + "b@x")).isPresent();
        assertThat(n2.slotsHeld(p + "legacy:143")).isZero();

        n2.abandon();
        assertThat(n1.slotsHeld(p + "legacy:143")).isZero();
        NodeLeases n3 = new NodeLeases(ds, new LeaseSettings("n3", PERIOD, 4, 4), clock, clock::advance);
        assertThat(n3.claim(p + "a@x"))
                .as("a dead node's lease holds until it expires")
                .isEmpty();
        clock.advance(PERIOD);
        assertThat(n3.claim(p + "a@x")).isPresent();
        assertThat(n3.claimIdle(p + "b@x")).isPresent();
    }

    @Test
    void slotShouldWaitForAFreeOneAndIdleShouldNot() throws Exception {
        NodeLeases small = new NodeLeases(ds, new LeaseSettings("s", PERIOD, 2, 2), clock, clock::advance);
        HeldSlot a = small.slot(p + "legacy:143", 2, LeaseRules.SlotUse.COPY, "a", false)
                .orElseThrow();
        HeldSlot b = small.slot(p + "legacy:143", 2, LeaseRules.SlotUse.COPY, "b", false)
                .orElseThrow();
        assertThat(small.slot(p + "legacy:143", 2, LeaseRules.SlotUse.IDLE, "c idle", false))
                .isEmpty();
        // Waiting: the sleeper moves the clock, so the held slots expire (their node renews nothing here).
        HeldSlot c = small.slot(p + "legacy:143", 2, LeaseRules.SlotUse.COPY, "c", true)
                .orElseThrow();
        assertThat(small.slotsHeld(p + "legacy:143")).isEqualTo(1);
        List.of(a, b, c).forEach(HeldSlot::close);
        assertThat(small.slotsHeld(p + "legacy:143")).isZero();
    }
}
