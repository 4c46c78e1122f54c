package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.FaultPoint;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.RawImapClient.Fetched;
import io.mxcutover.sync.testing.SyncFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash at the n-th time the copy reaches each fault point, then run again: nothing missing,
 * nothing duplicated; a third run copies nothing. Batches of 4 so there are many crash points.
 * Against real Dovecot, the first time or a time after the first batch (both with
 * {@code -Dsync.crash.all=true}); every step and every n-th time
 * is {@code engine.MailboxSyncCrashTest}'s, over in-memory servers, in milliseconds.
 */
@ExtendWith(DovecotPair.class)
class SyncCrashIT {
    static final class Crash extends Error {
        Crash(String where) {
            super("injected crash at " + where);
        }
    }

    static Stream<Arguments> points() {
        List<Arguments> out = new ArrayList<>();
        // The suite crashes each point once, at the 1st time or (every other point) after the first batch;
        // -Dsync.crash.all=true crashes every point at both (twice the time; bench/sync/reliability.sh).
        boolean all = Boolean.getBoolean("sync.crash.all");
        boolean first = true;
        for (FaultPoint p : FaultPoint.values()) {
            first = !first;
            for (int n : new int[] {1, 4}) {
                if (all || (n == 1) != first) {
                    out.add(Arguments.of(p, n));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "crash at {0} #{1}")
    @MethodSource("points")
    void rerunShouldLeaveNoMissingAndNoDuplicateWhenCrashedAtAnyPoint(
            FaultPoint point, int nth, DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        String user = servers.newUser("crash");
        List<byte[]> seeded = seed(servers, user);
        SyncSettings settings = SyncFixture.settings(servers)
                .withImap(SyncFixture.settings(servers).imap().withBatch(4, 1L << 20));
        AtomicInteger hits = new AtomicInteger();
        String address = user + "@example.test";
        try (SyncService crashing = SyncFixture.service(settings, tmp, p -> {
            if (p == point && hits.incrementAndGet() == nth) {
                throw new Crash(p + " #" + nth);
            }
        })) {
            crashing.addMailboxes(List.of(SyncFixture.account(user)));
            Throwable t = catchThrowable(() -> crashing.syncOnce(address));
            if (hits.get() >= nth) {
                assertThat(t).isInstanceOf(Crash.class);
            }
        }
        try (SyncService again = SyncFixture.service(settings, tmp, FaultInjector.NONE)) {
            MailboxResult r = again.syncOnce(address);
            assertThat(r.complete()).as(r + "\n" + journal(tmp)).isTrue();
            List<String> target = new ArrayList<>();
            try (RawImapClient c =
                    new RawImapClient(servers.target().host(), servers.target().port(), user, user + "-pw")) {
                for (String f : List.of("INBOX", "Work")) {
                    c.fetchAll(f).stream()
                            .map(Fetched::body)
                            .map(SyncFixture::sha256)
                            .forEach(target::add);
                }
            }
            assertThat(target)
                    .as("target after crash at %s #%d and rerun\n%s", point, nth, journal(tmp))
                    .containsExactlyInAnyOrderElementsOf(
                            seeded.stream().map(SyncFixture::sha256).toList());
            assertThat(again.syncOnce(address).copied()).isZero();
            // The folder plan replayed, not decided again: no second folder for one source folder.
            assertThat(SyncKillIT.folders(servers.target(), user))
                    .as("folders on new after crash at %s #%d", point, nth)
                    .noneMatch(n -> n.matches(".*-[0-9]+"))
                    .contains("Work");
        }
    }

    static List<byte[]> seed(DovecotPair.Servers servers, String user) throws Exception {
        List<byte[]> all = new ArrayList<>();
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.create("INBOX.Work");
            for (int i = 0; i < 14; i++) {
                String folder = i % 3 == 0 ? "INBOX.Work" : "INBOX";
                // Two identical messages (same bytes, same date): identity matching is a multiset.
                int n = i == 13 ? 12 : i;
                byte[] m = SyncFixture.message(
                        "From: a@example.test\nSubject: crash " + n + "\nMessage-ID: <c" + n + "@x>",
                        "body " + n + "\n");
                c.append(folder, i % 2 == 0 ? "\\Seen" : null, "01-Jan-2020 00:00:0" + (n % 10) + " +0000", m);
                all.add(m);
            }
        }
        return all;
    }

    static String journal(Path tmp) {
        StringBuilder sb = new StringBuilder("journal:\n");
        try (Connection c = io.mxcutover.sync.testing.TestState.open(tmp.resolve("sync.db"))
                        .getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT source_folder, source_uid, target_uid, state, identity"
                                + " FROM sync_message ORDER BY source_folder, source_uid")) {
            while (rs.next()) {
                sb.append(rs.getString(1))
                        .append(' ')
                        .append(rs.getLong(2))
                        .append(" -> ")
                        .append(rs.getLong(3))
                        .append(' ')
                        .append(rs.getString(4))
                        .append(' ')
                        .append(rs.getString(5))
                        .append('\n');
            }
        } catch (Exception e) {
            sb.append(e);
        }
        return sb.toString();
    }
}
