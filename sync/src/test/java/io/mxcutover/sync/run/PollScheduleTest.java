package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.sync.state.FolderCheckpoint;
import io.mxcutover.sync.state.FolderCheckpoint.SideStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PollScheduleTest {
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final PollSchedule SCHEDULE = new PollSchedule(Duration.ofSeconds(60), Duration.ofMinutes(15));

    /** seconds quiet at the last check | INBOX IDLEd | expected wait in seconds (60 s .. 900 s). */
    @ParameterizedTest(name = "quiet {0}s, idled {1} -> {2}s")
    @CsvSource(
            delimiter = '|',
            value = {
                "0     | false | 60", // just changed: the shortest wait
                "60    | false | 60", // half of a minute is below the shortest
                "120   | false | 60",
                "121   | false | 60.5", // exactly half, not rounded
                "180   | false | 90",
                "600   | false | 300", // quiet 10 minutes: every 5 minutes
                "1800  | false | 900", // quiet 30 minutes: the longest
                "86400 | false | 900", // quiet a day: still the longest
                "0     | true  | 900", // INBOX IDLEd: the other folders every 15 minutes, even right after a change
                "86400 | true  | 900",
            })
    void waitShouldGrowWithQuietTimeBetweenShortestAndLongest(long quietSeconds, boolean idled, double waitSeconds) {
        Instant check = T0.plusSeconds(quietSeconds);
        PollSchedule.Checked last = new PollSchedule.Checked(check, T0, false);
        Duration wait = SCHEDULE.waitAfter(last, idled);
        Duration expected = Duration.ofMillis(Math.round(waitSeconds * 1000));
        assertThat(wait).isEqualTo(expected);
        assertThat(SCHEDULE.next(last, idled)).isEqualTo(check.plus(expected));
    }

    @Test
    void checkLeftToAnotherNodeShouldCountFromWhenThatNodesPassEnded() {
        // Quiet for an hour: a 900 s wait. Checked by this node at T0, due at T0+900; another node passed it at
        // T0+600 (its own schedule), so this node's check at T0+900 is left to it.
        PollSchedule.Checked last = new PollSchedule.Checked(T0, T0.minusSeconds(3600), false);
        Instant now = T0.plusSeconds(900);
        PollSchedule.Checked left = SCHEDULE.leftToAnotherNode(last, Optional.of(T0.plusSeconds(600)), false, now);
        assertThat(left.lastCheck()).isEqualTo(T0.plusSeconds(600));
        assertThat(left.lastChange()).as("nothing known to have changed").isEqualTo(last.lastChange());
        assertThat(left.lastFailed()).isFalse();
        assertThat(SCHEDULE.next(left, false))
                .as("due a wait after the other node's pass, not a wait after the skip")
                .isEqualTo(T0.plusSeconds(1500));
    }

    @Test
    void checkLeftToAnotherNodeShouldCountAsNowWhenItsPassIsUnknownAheadOrTooOld() {
        PollSchedule.Checked last = new PollSchedule.Checked(T0, T0.minusSeconds(3600), false);
        Instant now = T0.plusSeconds(900);
        // Another node holds the lease now (its pass ends later): counted as now.
        assertThat(SCHEDULE.leftToAnotherNode(last, Optional.empty(), false, now)
                        .lastCheck())
                .isEqualTo(now);
        // Another machine's clock ahead of this one's.
        assertThat(SCHEDULE.leftToAnotherNode(last, Optional.of(now.plusSeconds(30)), false, now)
                        .lastCheck())
                .isEqualTo(now);
        // A pass so old the mailbox would be due again at once (no re-queue every look): now.
        assertThat(SCHEDULE.leftToAnotherNode(last, Optional.of(T0.minusSeconds(10)), false, now)
                        .lastCheck())
                .isEqualTo(now);
        // Older than this node's own last check but recent enough: this node's own check counts.
        PollSchedule.Checked recent = new PollSchedule.Checked(T0.plusSeconds(850), T0.minusSeconds(3600), false);
        assertThat(SCHEDULE.leftToAnotherNode(recent, Optional.of(T0.plusSeconds(800)), false, now)
                        .lastCheck())
                .isEqualTo(T0.plusSeconds(850));
        // Never checked here: the other node's pass counts as the first check, not failed.
        PollSchedule.Checked first = SCHEDULE.leftToAnotherNode(null, Optional.of(T0.plusSeconds(870)), false, now);
        assertThat(first.lastCheck()).isEqualTo(T0.plusSeconds(870));
        assertThat(SCHEDULE.due(first, false, now)).isFalse();
    }

    @Test
    void dueFirstShouldQueueNeverPassedThenLongestOverdueWithTiesInTheNodesOrder() {
        java.util.Map<String, Instant> due = new java.util.HashMap<>();
        due.put("late@x", T0.plusSeconds(50));
        due.put("early@x", T0.plusSeconds(10));
        due.put("new-b@x", Instant.MIN);
        due.put("new-a@x", Instant.MIN);
        due.put("same-2@x", T0.plusSeconds(30));
        due.put("same-1@x", T0.plusSeconds(30));

        // A node whose own order puts "b" before "a".
        java.util.function.ToLongFunction<String> nodeOrder = a -> a.contains("-b") || a.contains("-2") ? 0 : 1;
        assertThat(PollSchedule.dueFirst(due, nodeOrder))
                .containsExactly("new-b@x", "new-a@x", "early@x", "same-2@x", "same-1@x", "late@x");
        // No order of its own: by address.
        assertThat(PollSchedule.dueFirst(due, a -> 0))
                .containsExactly("new-a@x", "new-b@x", "early@x", "same-1@x", "same-2@x", "late@x");
        assertThat(PollSchedule.dueFirst(java.util.Map.of(), a -> 0)).isEmpty();
    }

    @Test
    void mailboxNeverCheckedShouldBeDueAtOnce() {
        assertThat(SCHEDULE.due(null, false, T0)).isTrue();
        assertThat(SCHEDULE.due(null, true, Instant.EPOCH)).isTrue();
    }

    @Test
    void dueShouldTurnTrueExactlyWhenTheWaitHasPassed() {
        PollSchedule.Checked last = PollSchedule.Checked.first(T0, false);
        assertThat(SCHEDULE.due(last, false, T0.plusSeconds(59))).isFalse();
        assertThat(SCHEDULE.due(last, false, T0.plusSeconds(60))).isTrue();
        assertThat(SCHEDULE.due(last, true, T0.plusSeconds(899))).isFalse();
        assertThat(SCHEDULE.due(last, true, T0.plusSeconds(900))).isTrue();
    }

    @Test
    void quietMailboxShouldBeCheckedLessOftenAndAChangeShouldBringItBack() {
        // Checks of a mailbox that never changes after its first pass: the gaps grow, then stay at the longest.
        PollSchedule.Checked c = PollSchedule.Checked.first(T0, false);
        StringBuilder gaps = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            Instant next = SCHEDULE.next(c, false);
            gaps.append(Duration.between(c.lastCheck(), next).toSeconds()).append(' ');
            c = c.checked(next, false, false);
        }
        assertThat(gaps.toString().strip()).isEqualTo("60 60 60 90 135 202 303 455");
        for (int i = 0; i < 4; i++) {
            c = c.checked(SCHEDULE.next(c, false), false, false);
        }
        assertThat(SCHEDULE.waitAfter(c, false)).isEqualTo(Duration.ofMinutes(15));
        // New mail found: back to the shortest wait at once.
        PollSchedule.Checked changed = c.checked(SCHEDULE.next(c, false), true, false);
        assertThat(SCHEDULE.waitAfter(changed, false)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void failedPassShouldBeRetriedAfterTheShortestWaitEvenWhenIdled() {
        // Quiet for a day, INBOX IDLEd: normally 15 minutes; the last pass failed: 60 s.
        PollSchedule.Checked failed = new PollSchedule.Checked(T0.plusSeconds(86400), T0, true);
        assertThat(SCHEDULE.waitAfter(failed, true)).isEqualTo(Duration.ofSeconds(60));
        assertThat(SCHEDULE.waitAfter(failed, false)).isEqualTo(Duration.ofSeconds(60));
        // The next full check succeeds with nothing new: back to the quiet rule (and the IDLE rule).
        PollSchedule.Checked ok = failed.checked(T0.plusSeconds(86460), false, false);
        assertThat(SCHEDULE.waitAfter(ok, false)).isEqualTo(Duration.ofMinutes(15));
        assertThat(SCHEDULE.waitAfter(ok, true)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void idleArrivalPassShouldKeepTheLastFullCheckAndRecordChangeOrFailure() {
        PollSchedule.Checked c = new PollSchedule.Checked(T0, T0.minusSeconds(3600), false);
        PollSchedule.Checked copied = c.partial(T0.plusSeconds(100), true, false);
        assertThat(copied).isEqualTo(new PollSchedule.Checked(T0, T0.plusSeconds(100), false));
        PollSchedule.Checked broke = c.partial(T0.plusSeconds(100), false, true);
        assertThat(broke).isEqualTo(new PollSchedule.Checked(T0, T0.minusSeconds(3600), true));
        // Idled and failed: the full check is due 60 s after the last full one, i.e. at once here.
        assertThat(SCHEDULE.due(broke, true, T0.plusSeconds(100))).isTrue();
        // A later successful partial pass does not clear the failure: only a full check does.
        assertThat(broke.partial(T0.plusSeconds(200), true, false).lastFailed()).isTrue();
    }

    @Test
    void mailboxKnownFromTheStoreShouldBeDueTheShortestWaitAfterItsLastPass() {
        // A restart: not every mailbox at once, each 60 s after its own last pass (at once if that is long ago).
        PollSchedule.Checked recent = PollSchedule.Checked.fromStore(T0, false);
        assertThat(SCHEDULE.due(recent, false, T0.plusSeconds(30))).isFalse();
        assertThat(SCHEDULE.due(recent, false, T0.plusSeconds(60))).isTrue();
        assertThat(SCHEDULE.due(recent, true, T0.plusSeconds(60))).isFalse();
        assertThat(SCHEDULE.due(PollSchedule.Checked.fromStore(T0, true), true, T0.plusSeconds(60)))
                .isTrue();
    }

    @Test
    void checkEndingBeforeTheLastChangeShouldCountAsJustChanged() {
        // A clock stepped back (or an IDLE pass recorded a change after this check): never a negative quiet time.
        PollSchedule.Checked last = new PollSchedule.Checked(T0, T0.plusSeconds(30), false);
        assertThat(SCHEDULE.waitAfter(last, false)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void longestBelowShortestShouldMeanAFixedInterval() {
        PollSchedule fixed = new PollSchedule(Duration.ofSeconds(60), Duration.ofSeconds(10));
        assertThat(fixed.longest()).isEqualTo(Duration.ofSeconds(60));
        assertThat(fixed.waitAfter(new PollSchedule.Checked(T0.plusSeconds(86400), T0, false), false))
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(fixed.waitAfter(PollSchedule.Checked.first(T0, false), true)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void scheduleShouldComeFromTheSettingsAndRefuseAZeroShortest() {
        SyncSettings s = SyncSettings.of(
                        io.mxcutover.sync.imap.ImapEndpoint.of("imap://127.0.0.1:1"),
                        io.mxcutover.sync.imap.ImapEndpoint.of("imap://127.0.0.1:2"))
                .withInterval(Duration.ofSeconds(30), true)
                .withContinuous(Duration.ofMinutes(20), 7);
        assertThat(PollSchedule.of(s)).isEqualTo(new PollSchedule(Duration.ofSeconds(30), Duration.ofMinutes(20)));
        assertThat(s.maxIdleMailboxes()).isEqualTo(7);
        assertThat(SyncSettings.of(
                                io.mxcutover.sync.imap.ImapEndpoint.of("imap://127.0.0.1:1"),
                                io.mxcutover.sync.imap.ImapEndpoint.of("imap://127.0.0.1:2"))
                        .maxInterval())
                .isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> new PollSchedule(Duration.ZERO, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * last pass (uidvalidity/uidnext/messages, complete; "none" = no checkpoint) | at the SELECT | pass INBOX now.
     */
    @ParameterizedTest(name = "last {0}, at select {1} -> pass {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "7/11/10/true  | 7/11/10 | false", // nothing arrived since the last pass
                "7/11/10/true  | 7/12/11 | true", // one message arrived before the IDLE began
                "7/11/10/true  | 7/12/10 | true", // one arrived, one expunged: UIDNEXT still tells
                "7/11/10/true  | 7/11/9  | true", // one expunged
                "7/11/10/true  | 8/11/10 | true", // the folder was re-created (new UIDVALIDITY)
                "7/11/10/false | 7/11/10 | true", // the last pass did not finish the folder
                "none          | 7/1/0   | true", // never passed
                "7/11/10/true  | 7/-1/10 | true", // the server sent no UIDNEXT: not a positive fact
            })
    void watcherShouldPassInboxWhenTheSelectDiffersFromTheLastPass(String last, String atSelect, boolean pass) {
        Optional<FolderCheckpoint> checkpoint = Optional.empty();
        if (!last.equals("none")) {
            String[] l = last.split("/");
            checkpoint = Optional.of(new FolderCheckpoint(
                    "INBOX", "INBOX", side(l[0] + "/" + l[1] + "/" + l[2]), side("1/1/0"), Boolean.parseBoolean(l[3])));
        }
        assertThat(PollSchedule.inboxMovedSinceLastPass(checkpoint, side(atSelect)))
                .isEqualTo(pass);
    }

    private static SideStatus side(String s) {
        String[] p = s.split("/");
        return new SideStatus(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), 0);
    }
}
