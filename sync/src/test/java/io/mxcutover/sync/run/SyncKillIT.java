package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.it.RealServers;
import io.mxcutover.sync.cli.SyncCliIT;
import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.MailboxResult;
import io.mxcutover.sync.testing.CliMain;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.RawImapClient.Fetched;
import io.mxcutover.sync.testing.SyncFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of the one-shot sync (issue 10: kills during folder creation sent every
 * mailbox's {@code Sent} into a new {@code Sent-2}). {@code mxcutover sync} runs in a child JVM
 * against the real Dovecot pair and is killed {@link #KILLS} times at random moments of its
 * progress (seeded; the seed is printed, {@code -Dsync.kill.seed=N} replays it), then runs to
 * completion. Then both servers are compared folder by folder, by name: the target has exactly the
 * folders of the kill-free mapping (the dry run's) and nothing else, every legacy message is in
 * its mapped folder exactly once, and legacy is untouched.
 *
 * <p>Two cases: the default servers, whose new server already has Sent, Drafts, Trash, Junk and
 * Archive with their roles (a folder the sync creates can never take a role there), and
 * {@link EmptyTarget}: servers without special-use folders, where legacy announces no role and
 * new starts with INBOX only, the target on which the kills of issue 10 produced {@code Sent-2}.
 */
@ExtendWith(DovecotPair.class)
class SyncKillIT {
    /** Kills per run: 4 in the suite, more with {@code -Dsync.kill.kills=N} (bench/sync/reliability.sh: 8). */
    static final int KILLS = Integer.getInteger("sync.kill.kills", 4);

    static final List<String> FOLDERS = List.of(
            "INBOX",
            "INBOX.Sent",
            "INBOX.Drafts",
            "INBOX.Entwürfe",
            "INBOX.Gesendete Objekte",
            "INBOX.Work",
            "INBOX.Work.2019",
            "INBOX.Archive.2019",
            "INBOX.Kunden",
            "INBOX.Reisen");
    // New-server folders that Dovecot creates by itself (auto = subscribe): not the sync's.
    static final List<String> SERVER_FOLDERS = List.of("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive");

    @Test
    void syncKilledAtRandomMomentsShouldEndWithTheKillFreeMappingAndEveryMessageOnce(
            DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
        killAndCompare(servers, tmp, List.of("INBOX", "INBOX.Sent", "INBOX.Drafts"), SERVER_FOLDERS);
    }

    /**
     * Legacy without roles lists {@code Gesendete Objekte} before {@code Sent} (Dovecot lists folders
     * newest first), so the SENT role goes by name to {@code Gesendete Objekte}; on an empty target
     * both keep their names. Before the folder plan was journaled, a pass after a kill that came
     * after CREATE "Sent" found that {@code Sent} on new, gave it the role, and sent legacy's
     * {@code Sent} to {@code Sent-2} (likewise {@code Drafts} and {@code Entwürfe}).
     */
    @Nested
    @RealServers.SpecialUseFolders(RealServers.SpecialUse.NONE)
    class EmptyTarget {
        @Test
        void syncKilledAtRandomMomentsShouldKeepEveryFolderWhereTheKillFreeRunPutsIt(
                DovecotPair.Servers servers, @TempDir Path tmp) throws Exception {
            killAndCompare(servers, tmp, List.of("INBOX"), List.of("INBOX"));
        }
    }

    /**
     * Seeds two mailboxes on legacy ({@code existing}: folders legacy has without a CREATE), kills the
     * sync {@link #KILLS} times, lets it finish and compares both servers; {@code serverFolders} are
     * the folders new has in every account by itself.
     */
    static void killAndCompare(DovecotPair.Servers servers, Path tmp, List<String> existing, List<String> serverFolders)
            throws Exception {
        long seed = Long.getLong("sync.kill.seed", System.nanoTime());
        System.out.println("SyncKillIT seed " + seed + " (replay with -Dsync.kill.seed=" + seed + ")");
        Random random = new Random(seed);
        List<String> users = List.of(servers.newUser("killa"), servers.newUser("killb"));
        // The kill-free mapping: what a dry run on the empty target plans (it changes nothing).
        Map<String, Map<String, String>> mappings = new LinkedHashMap<>();
        Map<String, Map<String, List<Fetched>>> legacyBefore = new LinkedHashMap<>();
        try (SyncService dry =
                SyncFixture.service(servers, Files.createDirectories(tmp.resolve("dry")), FaultInjector.NONE)) {
            for (String user : users) {
                seed(servers, user, existing);
                MailboxResult plan = dry.dryRun(SyncFixture.account(user));
                Map<String, String> m = new TreeMap<>();
                plan.folders().forEach(f -> m.put(f.sourceFolder(), f.targetFolder()));
                assertThat(m)
                        .as(String.valueOf(plan))
                        .containsKeys(FOLDERS.toArray(String[]::new))
                        .containsEntry("INBOX.Sent", "Sent");
                mappings.put(user, m);
                legacyBefore.put(user, snapshot(servers.legacy(), user, List.copyOf(m.keySet())));
            }
        }
        List<String> args = cliArgs(servers, tmp, users, "--batch", "3", "--parallel", "2");

        // Kill moments: random points of the copy's progress (messages DONE in the journal, which grows
        // batch by batch, each folder's CREATE just before its first batch), so the kills land during
        // the work whatever the machine's speed.
        long total = legacyBefore.values().stream()
                .flatMap(m -> m.values().stream())
                .mapToLong(List::size)
                .sum();
        long[] thresholds = random.longs(KILLS, 1, total * 3 / 4).sorted().toArray();
        Path db = tmp.resolve("state.db");
        StringBuilder history = new StringBuilder();
        for (int k = 0; k < KILLS; k++) {
            long threshold = thresholds[k];
            Process p = start(tmp, args, k);
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(120))
                    .pollInterval(java.time.Duration.ofMillis(15))
                    .until(() -> !p.isAlive() || done(db) >= threshold);
            boolean exited = !p.isAlive();
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            history.append(String.format(
                    "run %d: %s at %d message(s) done; journal: %s%n",
                    k, exited ? "finished (exit " + p.exitValue() + ")" : "killed", threshold, journal(db)));
        }
        SyncCliIT.Result last = SyncCliIT.cli(tmp, args, "--verify");
        System.out.print(history);
        System.out.print(last.output());
        assertThat(last.exit()).as(history + last.output()).isZero();
        assertThat(last.output()).contains("verify " + users.get(0) + "@example.test: READY");

        for (String user : users) {
            Map<String, String> mapping = mappings.get(user);
            Map<String, List<Fetched>> legacyAfter = snapshot(servers.legacy(), user, List.copyOf(mapping.keySet()));
            for (String f : mapping.keySet()) {
                assertThat(fingerprints(legacyAfter.get(f)))
                        .as("legacy %s of %s untouched", f, user)
                        .isEqualTo(fingerprints(legacyBefore.get(user).get(f)));
            }
            TreeSet<String> expectedNames = new TreeSet<>(serverFolders);
            expectedNames.addAll(mapping.values());
            assertThat(folders(servers.target(), user))
                    .as("folders on new for %s (seed %d)\n%s", user, seed, history)
                    .isEqualTo(expectedNames);
            Map<String, List<Fetched>> target =
                    snapshot(servers.target(), user, List.copyOf(new TreeSet<>(mapping.values())));
            Map<String, List<String>> expectedByTarget = new TreeMap<>();
            mapping.forEach((source, t) -> expectedByTarget
                    .computeIfAbsent(t, x -> new ArrayList<>())
                    .addAll(hashes(legacyBefore.get(user).get(source))));
            for (Map.Entry<String, List<String>> e : expectedByTarget.entrySet()) {
                assertThat(hashes(target.get(e.getKey())))
                        .as("messages in %s on new for %s: each once (seed %d)\n%s", e.getKey(), user, seed, history)
                        .containsExactlyInAnyOrderElementsOf(e.getValue());
            }
        }
    }

    /**
     * The one-shot sync's arguments for {@code users} (login = user, password {@code <user>-pw} on both servers): the
     * mailbox list written to {@code tmp/mailboxes.csv}, the state in {@code tmp/state.db}, then {@code extra}.
     */
    static List<String> cliArgs(DovecotPair.Servers servers, Path tmp, List<String> users, String... extra)
            throws java.io.IOException {
        Path csv = tmp.resolve("mailboxes.csv");
        StringBuilder lines = new StringBuilder("address,legacy_login,legacy_password,new_login,new_password\n");
        users.forEach(u -> lines.append(u)
                .append("@example.test,")
                .append(u)
                .append(',')
                .append(u)
                .append("-pw,")
                .append(u)
                .append(',')
                .append(u)
                .append("-pw\n"));
        Files.writeString(csv, lines);
        List<String> args = new ArrayList<>(List.of(
                "--legacy",
                servers.legacy().uri(),
                "--new",
                servers.target().uri(),
                "--csv",
                csv.toString(),
                "--state",
                tmp.resolve("state.db").toString()));
        args.addAll(List.of(extra));
        return args;
    }

    /** Messages DONE in the state; 0 while there is no state (yet). */
    static long done(Path db) {
        if (!Files.exists(db)) {
            return 0;
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                java.sql.ResultSet rs =
                        c.createStatement().executeQuery("SELECT COUNT(*) FROM sync_message WHERE state = 'DONE'")) {
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // not migrated yet, or busy: ask again
        }
    }

    /** Messages DONE, INTENTs open and folder plan lines in the state, after a kill. */
    static String journal(Path db) {
        if (!Files.exists(db)) {
            return "no state yet";
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                java.sql.ResultSet rs = c.createStatement()
                        .executeQuery("SELECT"
                                + " (SELECT COUNT(*) FROM sync_message WHERE state = 'DONE'),"
                                + " (SELECT COUNT(*) FROM sync_message WHERE state = 'INTENT'),"
                                + " (SELECT COUNT(*) FROM sync_folder_plan),"
                                + " (SELECT COUNT(*) FROM sync_folder_plan WHERE state = 'PLANNED')")) {
            return rs.getLong(1) + " done, " + rs.getLong(2) + " intents, " + rs.getLong(3) + " folders planned ("
                    + rs.getLong(4) + " not created yet)";
        } catch (java.sql.SQLException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    static Process start(Path tmp, List<String> args, int k) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                CliMain.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("run-" + k + ".log").toFile())
                .start();
    }

    static void seed(DovecotPair.Servers servers, String user, List<String> existing) throws Exception {
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), user, user + "-pw")) {
            for (String f : FOLDERS) {
                if (!existing.contains(f)) {
                    c.create(BASE64MailboxEncoder.encode(f));
                }
            }
            int n = 0;
            for (String f : FOLDERS) {
                int count = f.equals("INBOX.Sent") || f.equals("INBOX") ? 30 : 4;
                for (int i = 0; i < count; i++, n++) {
                    c.append(
                            BASE64MailboxEncoder.encode(f),
                            i % 2 == 0 ? "\\Seen" : null,
                            String.format("%02d-Jan-2020 10:%02d:00 +0000", 1 + i % 28, n % 60),
                            SyncFixture.message(
                                    "From: a@example.test\nSubject: " + f + " " + i + "\nMessage-ID: <k" + n + "."
                                            + user + "@x>",
                                    "message " + i + " of " + f + "\n"));
                }
            }
        }
    }

    static Map<String, List<Fetched>> snapshot(DovecotPair.Server server, String user, List<String> folders)
            throws Exception {
        Map<String, List<Fetched>> out = new TreeMap<>();
        try (RawImapClient c = new RawImapClient(server.host(), server.port(), user, user + "-pw")) {
            for (String f : folders) {
                out.put(f, c.fetchAll(BASE64MailboxEncoder.encode(f)));
            }
        }
        return out;
    }

    /** The folders that can hold messages (a {@code \\Noselect} parent of a subfolder is left out). */
    static java.util.SortedSet<String> folders(DovecotPair.Server server, String user) throws Exception {
        TreeSet<String> names = new TreeSet<>();
        try (RawImapClient c = new RawImapClient(server.host(), server.port(), user, user + "-pw")) {
            Matcher m = Pattern.compile("(?m)^\\* LIST \\(([^)]*)\\) \"[^\"]*\" (\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)\\r?$")
                    .matcher(c.command("LIST \"\" \"*\""));
            while (m.find()) {
                if (m.group(1).toLowerCase(java.util.Locale.ROOT).matches(".*\\\\(noselect|nonexistent).*")) {
                    continue;
                }
                String raw = m.group(2);
                String name = raw.startsWith("\"")
                        ? raw.substring(1, raw.length() - 1)
                                .replace("\\\"", "\"")
                                .replace("\\\\", "\\")
                        : raw;
                names.add(org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder.decode(name));
            }
        }
        return names;
    }

    static List<String> hashes(List<Fetched> messages) {
        return messages.stream().map(f -> SyncFixture.sha256(f.body())).sorted().toList();
    }

    static List<String> fingerprints(List<Fetched> messages) {
        return messages.stream()
                .map(f -> f.uid() + " " + SyncFixture.sha256(f.body()) + " " + new TreeSet<>(f.flags()) + " "
                        + f.internalDate())
                .sorted()
                .toList();
    }
}
