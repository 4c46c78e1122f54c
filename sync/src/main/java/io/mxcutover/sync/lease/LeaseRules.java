package io.mxcutover.sync.lease;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The lease decisions, pure: when a lease is free, when its holder renews it, until when the holder may still
 * write, which mailbox a node takes next, and which connection slots a kind of connection may take.
 *
 * <p>A holder renews every third of the period, so it keeps the lease through two failed renewals; it writes
 * only while more than a third of the period is left, so a holder that paused (a long GC, a frozen VM) stops
 * before the lease can lapse and another node take the mailbox.
 */
public final class LeaseRules {
    private LeaseRules() {}

    /** A lease row as the store has it ({@code releasedAt} 0: never released). Times in epoch millis. */
    public record LeaseRow(String mailbox, String node, long expiresAt, long generation, long releasedAt) {}

    /** Whether a lease expiring at {@code expiresAt} is free at {@code now}. */
    public static boolean free(long expiresAt, long now) {
        return expiresAt <= now;
    }

    /**
     * When another node last passed the mailbox of {@code row}, as far as {@code node} can tell at {@code now}: the
     * time another node released its lease, when the lease is free now. Empty when no row is known, the last pass
     * was this node's, the mailbox was never released, or another node holds it now (a pass going on ends later).
     */
    public static java.util.OptionalLong passedElsewhere(java.util.Optional<LeaseRow> row, String node, long now) {
        if (row.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        LeaseRow r = row.get();
        if (r.releasedAt() == 0 || node.equals(r.node()) || !free(r.expiresAt(), now)) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(r.releasedAt());
    }

    /** How often a holder renews its leases: a third of the period. */
    public static Duration renewEvery(Duration period) {
        return period.dividedBy(3);
    }

    /** Whether a lease renewed at {@code renewedAt} is due for renewal at {@code now}. */
    public static boolean renewalDue(long renewedAt, long now, Duration period) {
        return now - renewedAt >= renewEvery(period).toMillis();
    }

    /** Whether the holder may still write (journal rows, APPENDs): more than a third of the period is left. */
    public static boolean writable(long expiresAt, long now, Duration period) {
        return expiresAt - now > renewEvery(period).toMillis();
    }

    /**
     * The order in which {@code node} tries to take the {@code candidates}: leases that are free at {@code now} and
     * were not released by another node less than {@code rest} ago (a continuous round leaves a mailbox another
     * node has just passed; its own passes do not count: its rounds keep their interval whatever its clock says, and
     * a test's clock may stand still), the never passed first, then the longest since their last pass, then by
     * address. Rows missing from {@code rows} are free and never passed.
     */
    public static List<String> order(
            Collection<String> candidates, List<LeaseRow> rows, String node, long now, Duration rest) {
        java.util.Map<String, LeaseRow> byMailbox = new java.util.HashMap<>();
        rows.forEach(r -> byMailbox.put(r.mailbox(), r));
        Set<String> unique = new java.util.LinkedHashSet<>(candidates);
        return unique.stream()
                .map(m -> byMailbox.getOrDefault(m, new LeaseRow(m, null, 0, 0, 0)))
                .filter(r -> free(r.expiresAt(), now))
                .filter(r -> r.releasedAt() == 0 || node.equals(r.node()) || now - r.releasedAt() >= rest.toMillis())
                .sorted(Comparator.comparingLong(LeaseRow::releasedAt).thenComparing(LeaseRow::mailbox))
                .map(LeaseRow::mailbox)
                .toList();
    }

    /**
     * Connections one IMAP session holds on its server: the store's and the selected folder's (Angus Mail opens a
     * folder on a connection of its own), as Dovecot's log counts logins.
     */
    public static final int CONNECTIONS_PER_SESSION = 2;

    /** How many sessions (slots) a cap of {@code connections} allows: at least one. */
    public static int sessionSlots(int connections) {
        return Math.max(1, connections / CONNECTIONS_PER_SESSION);
    }

    /** What a connection slot is for: a pass's session, or an IDLE watcher's. */
    public enum SlotUse {
        COPY,
        IDLE
    }

    /**
     * The slots (of {@code 0..cap-1}) a connection may take, in the order it tries them: a copy session any slot,
     * the highest first; an IDLE session only the lower half, lowest first (none when the cap is 1). IDLE never
     * takes more than half of a server's connections, so copies always keep the other half.
     */
    public record SlotRange(int low, int high, boolean descending) {
        public boolean empty() {
            return high < low;
        }
    }

    public static SlotRange slots(SlotUse use, int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1, got " + cap);
        }
        return use == SlotUse.COPY ? new SlotRange(0, cap - 1, true) : new SlotRange(0, cap / 2 - 1, false);
    }

    /**
     * Where {@code mailbox} comes in {@code node}'s look for due continuous checks: a permutation of the node's own (a
     * mix of both names), so nodes that look at the same moment start on different mailboxes. In the store's order
     * every node tried the same first mailboxes; the losers' workers waited for the next look (bench/scale, 2 nodes:
     * 0.65 of one node's throughput before this and the shared check times).
     */
    public static long lookOrder(String node, String mailbox) {
        long h = node.hashCode() * 0x9E3779B97F4A7C15L + mailbox.hashCode();
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }
}
