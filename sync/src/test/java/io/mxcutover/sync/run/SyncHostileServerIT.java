package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.imap.ImapEndpoint;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.testing.ChaosImapProxy;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.verify.VerifyReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input (issue 14): {@link ChaosImapProxy}s between the sync and both real Dovecots truncate,
 * garble, reorder or stall the servers' responses, one fault per connection at a random response
 * (seeded; {@code -Dsync.chaos.seed=N} replays the fault plan, {@code -Dsync.chaos.passes=N} runs
 * more passes). Every pass must end within its bound (no thread stuck: the IMAP timeouts end a
 * stalled read), and after every pass each message on new must be byte-exact (its SHA-256 is a
 * legacy message's of that folder) and there at most once. Then the proxies heal and passes go on
 * until everything is there (a state left by the faults is recoverable), verified deep.
 */
@ExtendWith(DovecotPair.class)
class SyncHostileServerIT {
    static final Duration PASS_BOUND = Duration.ofSeconds(45);

    @Test
    void syncThroughHostileProxiesShouldNeverWriteWrongBytesNorDuplicatesAndRecoverWhenHealed(
            DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        long seed = Long.getLong("sync.chaos.seed", System.nanoTime());
        int passes = Integer.getInteger("sync.chaos.passes", 4);
        System.out.println("SyncHostileServerIT seed " + seed + " (replay with -Dsync.chaos.seed=" + seed + ")");
        Random random = new Random(seed);
        String user = servers.newUser("chaos");
        String address = user + "@example.test";
        Map<String, List<String>> legacy = seed(servers, user, random);

        try (ChaosImapProxy legacyProxy = new ChaosImapProxy(
                        servers.legacy().host(), servers.legacy().port(), random.nextLong(), 60);
                ChaosImapProxy newProxy = new ChaosImapProxy(
                        servers.target().host(), servers.target().port(), random.nextLong(), 40)) {
            ImapSettings imap = SyncFixture.settings(servers).imap();
            SyncSettings settings = SyncSettings.of(ImapEndpoint.of(legacyProxy.uri()), ImapEndpoint.of(newProxy.uri()))
                    .withImap(new ImapSettings(
                            Duration.ofSeconds(2),
                            Duration.ofSeconds(2),
                            4,
                            4L << 20,
                            2L << 20,
                            256 * 1024,
                            1000,
                            true,
                            imap.tempDir()))
                    .withInterval(Duration.ofSeconds(60), false);
            List<String> outcomes = new ArrayList<>();
            long longest = 0;
            for (int p = 0; p < passes + 8; p++) {
                boolean healed = p >= passes;
                if (healed) {
                    legacyProxy.heal();
                    newProxy.heal();
                }
                // A clock a day further each pass: messages a fault made fail are retried at once (backoff).
                Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofDays(p));
                long t0 = System.nanoTime();
                MailboxResult r;
                try (SyncService service = SyncFixture.service(settings, tmp, FaultInjector.NONE, clock)) {
                    service.addMailboxes(List.of(SyncFixture.account(user)));
                    r = CompletableFuture.supplyAsync(() -> service.syncOnce(address))
                            .get(PASS_BOUND.toSeconds(), TimeUnit.SECONDS);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                longest = Math.max(longest, ms);
                outcomes.add("pass " + p + (healed ? " (healed)" : "") + ": " + r.phase() + ", " + r.copied()
                        + " copied, " + ms + " ms" + (r.reason() == null ? "" : " - " + r.reason()));
                assertOnlyExactCopies(servers, user, legacy, seed, outcomes);
                if (healed
                        && onNew(servers, user).values().stream()
                                        .mapToInt(List::size)
                                        .sum()
                                == total(legacy)) {
                    break;
                }
            }
            outcomes.forEach(System.out::println);
            Map<String, List<String>> target = onNew(servers, user);
            for (Map.Entry<String, List<String>> e : legacy.entrySet()) {
                assertThat(target.get(e.getKey()))
                        .as("%s on new after healing (seed %d)\n%s", e.getKey(), seed, String.join("\n", outcomes))
                        .containsExactlyInAnyOrderElementsOf(e.getValue());
            }
            try (SyncService service = SyncFixture.service(SyncFixture.settings(servers), tmp, FaultInjector.NONE)) {
                VerifyReport v = service.verify(address, true);
                assertThat(v.verdict()).as(v.toString()).isEqualTo(VerifyReport.Verdict.READY);
            }
            System.out.printf(
                    "HOSTILE-IMAP seed=%d passes=%d messages=%d faults legacy=%s new=%s connections=%d+%d"
                            + " longest-pass=%d ms wrong-bytes-on-new=0 duplicates-on-new=0%n",
                    seed,
                    outcomes.size(),
                    total(legacy),
                    legacyProxy.injected(),
                    newProxy.injected(),
                    legacyProxy.connections(),
                    newProxy.connections(),
                    longest);
        }
    }

    /** After any pass: every message on new is a legacy message's exact bytes, and none is there twice. */
    static void assertOnlyExactCopies(
            DovecotPair.Servers servers,
            String user,
            Map<String, List<String>> legacy,
            long seed,
            List<String> outcomes)
            throws Exception {
        Map<String, List<String>> target = onNew(servers, user);
        for (Map.Entry<String, List<String>> e : target.entrySet()) {
            Set<String> allowed = Set.copyOf(legacy.getOrDefault(e.getKey(), List.of()));
            assertThat(e.getValue())
                    .as("bytes on new in %s are legacy's (seed %d)\n%s", e.getKey(), seed, String.join("\n", outcomes))
                    .allMatch(allowed::contains)
                    .doesNotHaveDuplicates();
        }
    }

    /** Hashes of the messages in INBOX and Work on new (Work may not exist yet). */
    static Map<String, List<String>> onNew(DovecotPair.Servers servers, String user) throws Exception {
        Map<String, List<String>> out = new HashMap<>();
        for (String folder : List.of("INBOX", "Work")) {
            out.put(folder, SyncKillIT.hashes(SyncContinuousKillIT.fetch(servers.target(), user, folder)));
        }
        return out;
    }

    static int total(Map<String, List<String>> folders) {
        return folders.values().stream().mapToInt(List::size).sum();
    }

    /** 24 messages in INBOX, 8 in Work, of 200 bytes to 40 KiB; returns their hashes by folder on new. */
    static Map<String, List<String>> seed(DovecotPair.Servers servers, String user, Random random) throws Exception {
        Map<String, List<String>> out = new HashMap<>();
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            c.create("INBOX.Work");
            for (int i = 0; i < 32; i++) {
                String folder = i % 4 == 3 ? "INBOX.Work" : "INBOX";
                StringBuilder body = new StringBuilder();
                for (int n = random.nextInt(600); n >= 0; n--) {
                    body.append("line ").append(i).append('.').append(n).append(" of a hostile test\n");
                }
                byte[] m = SyncFixture.message(
                        "From: chaos@example.test\nSubject: chaos " + i + "\nMessage-ID: <chaos" + i + "@x>",
                        body.toString());
                c.append(folder, i % 2 == 0 ? "\\Seen" : null, "0" + (1 + i % 9) + "-Jun-2023 10:00:00 +0000", m);
                out.computeIfAbsent(folder.equals("INBOX") ? "INBOX" : "Work", k -> new ArrayList<>())
                        .add(SyncFixture.sha256(m));
            }
        }
        return out;
    }
}
