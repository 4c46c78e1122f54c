package io.mxcutover.sync.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.mxcutover.sync.engine.FaultInjector;
import io.mxcutover.sync.engine.FaultPoint;
import io.mxcutover.sync.imap.ImapSettings;
import io.mxcutover.sync.lease.LeaseSettings;
import io.mxcutover.sync.lease.NodeLeases;
import io.mxcutover.sync.mailbox.MailboxAccount;
import io.mxcutover.sync.state.MailboxStatus;
import io.mxcutover.sync.testing.DovecotPair;
import io.mxcutover.sync.testing.RawImapClient;
import io.mxcutover.sync.testing.SyncFixture;
import io.mxcutover.sync.testing.TestPostgres;
import io.mxcutover.sync.throttle.ServerGates;
import io.mxcutover.sync.time.Sleeper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

/**
 * Three sync "nodes" (three services with their own node ids and leases, one JVM) on one PostgreSQL and the real
 * Dovecot pair: 32 mailboxes are shared out, each copied under its node's lease, byte-exact and once; one node
 * dies mid-copy (its threads stop, its leases are not released) and the others finish its mailboxes after the
 * lease period; the legacy Dovecot's log shows the cluster-wide cap of connections held.
 */
@ExtendWith(DovecotPair.class)
class SyncLeasedNodesIT {
    private static final int MAILBOXES = 32;
    private static final int MESSAGES = 6;
    private static final int LEGACY_CAP = 4;
    private static final Duration PERIOD = Duration.ofSeconds(3);

    @Test
    void nodesShouldShareTheMailboxesCopyEachOnceAndFinishTheWorkOfADeadNode(DovecotPair.Servers servers)
            throws Exception {
        List<String> logins = users(servers);
        for (String login : logins) {
            seed(servers, login);
        }
        Path legacyLog = legacyLog();
        long logStart = Files.size(legacyLog);
        SyncSettings settings = settings(servers);
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<String, AtomicLong> copiedBy = new ConcurrentHashMap<>();
        try (HikariDataSource ds = TestPostgres.open("sync_nodes")) {
            List<NodeLeases> leases = new ArrayList<>();
            List<SyncService> nodes = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String node = "node" + i;
                NodeLeases l = new NodeLeases(
                        ds, new LeaseSettings(node, PERIOD, LEGACY_CAP, LEGACY_CAP), Clock.systemUTC(), Sleeper.SYSTEM);
                leases.add(l);
                SyncService s = new SyncService(
                        ds,
                        SyncFixture.KEY,
                        settings,
                        Clock.systemUTC(),
                        holderCheck(ds, node, violations),
                        new ServerGates(Clock.systemUTC(), settings.throttling()),
                        Sleeper.SYSTEM,
                        l);
                s.onMailboxSynced(r ->
                        copiedBy.computeIfAbsent(node, k -> new AtomicLong()).addAndGet(r.copied()));
                nodes.add(s);
            }
            List<MailboxAccount> accounts =
                    logins.stream().map(SyncFixture::account).toList();
            nodes.get(0).addMailboxes(accounts);
            try {
                nodes.forEach(SyncService::startContinuous);
                // node3 dies mid-copy: as soon as it has copied something, while work is left.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> doneMessages(ds, "node3") > 0);
                Map<String, Long> heldByDead = held(ds, "node3");
                assertThat(heldByDead).as("node3 dies holding mailboxes").isNotEmpty();
                leases.get(2).abandon();
                nodes.get(2).stop();
                long killedAt = System.currentTimeMillis();

                Awaitility.await()
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> nodes.get(0).mailboxes().stream()
                                .allMatch(m -> m.phase() == MailboxStatus.Phase.SYNCED));

                assertThat(violations)
                        .as("a batch written by a node without the lease")
                        .isEmpty();
                // The dead node's mailboxes were taken over only after its leases expired, and finished.
                Map<String, Long[]> rows = leaseRows(ds);
                for (Map.Entry<String, Long> e : heldByDead.entrySet()) {
                    Long[] row = rows.get(e.getKey());
                    assertThat(row[0])
                            .as("claim of %s after node3 died", e.getKey())
                            .isGreaterThanOrEqualTo(e.getValue());
                }
                assertThat(killedAt).isPositive();
                assertThat(copiedBy.keySet()).as("the work was shared").contains("node1", "node2", "node3");
            } finally {
                nodes.forEach(SyncService::close);
                leases.get(0).close();
                leases.get(1).close();
            }
        }
        // Byte-exact and once: every mailbox on new holds exactly legacy's messages, no duplicate.
        for (String login : logins) {
            assertSameMessages(servers, login);
        }
        Peak peak = mostConcurrentLogins(legacyLog, logStart, Set.copyOf(logins));
        assertThat(peak.most())
                .as(
                        "concurrent logins on legacy, cap %d across the nodes; the log at the first peak:%n%s",
                        LEGACY_CAP, peak.context())
                .isBetween(2, LEGACY_CAP);
        assertThat(copiedBy.values().stream().mapToLong(AtomicLong::get).sum())
                .as("messages appended, every node together")
                .isLessThanOrEqualTo((long) MAILBOXES * MESSAGES);
    }

    private static SyncSettings settings(DovecotPair.Servers servers) {
        SyncSettings base = SyncFixture.settings(servers);
        ImapSettings i = base.imap();
        // Two messages a batch, so a pass has several batches and a death lands mid-copy.
        return base.withImap(new ImapSettings(
                        i.connectTimeout(),
                        i.ioTimeout(),
                        2,
                        i.batchBytes(),
                        i.largeMessageBytes(),
                        i.chunkBytes(),
                        i.metadataChunk(),
                        i.useMultiAppend(),
                        i.tempDir()))
                .withParallelMailboxes(2)
                .withInterval(Duration.ofSeconds(2), false);
    }

    /** At each batch's journal writes, the node writing must hold the mailbox's lease in the database. */
    private static FaultInjector holderCheck(HikariDataSource ds, String node, List<String> violations) {
        return point -> {
            if (point != FaultPoint.INTENT_COMMITTED && point != FaultPoint.DONE_COMMITTED) {
                return;
            }
            String mailbox = MDC.get("mailbox");
            try (Connection c = ds.getConnection();
                    PreparedStatement ps =
                            c.prepareStatement("SELECT node FROM sync_lease WHERE mailbox = ? AND expires_at > ?")) {
                ps.setString(1, mailbox);
                ps.setLong(2, System.currentTimeMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    String holder = rs.next() ? rs.getString(1) : null;
                    if (!node.equals(holder)) {
                        violations.add(node + " wrote " + mailbox + " at " + point + ", lease held by " + holder);
                    }
                }
            } catch (SQLException e) {
                violations.add(e.toString());
            }
        };
    }

    private static long doneMessages(HikariDataSource ds, String node) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sync_message m JOIN sync_lease l"
                        + " ON l.mailbox = m.mailbox WHERE m.state = 'DONE' AND l.node = ?")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The mailboxes {@code node} holds now, with when each lease expires. */
    private static Map<String, Long> held(HikariDataSource ds, String node) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT mailbox, expires_at FROM sync_lease WHERE node = ? AND expires_at > ?")) {
            ps.setString(1, node);
            ps.setLong(2, System.currentTimeMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Per mailbox: acquired_at of its last claim, its node's number. */
    private static Map<String, Long[]> leaseRows(HikariDataSource ds) throws SQLException {
        Map<String, Long[]> out = new HashMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT mailbox, acquired_at FROM sync_lease");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new Long[] {rs.getLong(2)});
            }
        }
        return out;
    }

    /** 32 users on both servers at once (one wait for Dovecot's passwd-file reload, not one per user). */
    private static List<String> users(DovecotPair.Servers servers) {
        List<String> logins = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < MAILBOXES; i++) {
            String login = "lease" + ProcessHandle.current().pid() + "n" + i;
            logins.add(login);
            lines.append(login).append(":{PLAIN}").append(login).append("-pw\n");
        }
        for (DovecotPair.Server s : List.of(servers.legacy(), servers.target())) {
            try {
                Files.writeString(
                        s.real().passwdFile(), lines.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String last = logins.get(MAILBOXES - 1);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        try (RawImapClient c = new RawImapClient(s.host(), s.port(), last, last + "-pw")) {
                            return true;
                        }
                    });
        }
        return logins;
    }

    private static void seed(DovecotPair.Servers servers, String login) throws IOException {
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), login, login + "-pw")) {
            for (int i = 0; i < MESSAGES; i++) {
                c.append(
                        "INBOX",
                        i % 2 == 0 ? "\\Seen" : null,
                        null,
                        SyncFixture.message(
                                "Subject: leased " + i + "\nMessage-ID: <" + login + "." + i + "@lease.test>",
                                "body " + i + " of " + login + "\n" + "x".repeat(200 * i) + "\n"));
            }
        }
    }

    private static void assertSameMessages(DovecotPair.Servers servers, String login) throws IOException {
        List<String> legacy;
        List<String> target;
        try (RawImapClient c =
                new RawImapClient(servers.legacy().host(), servers.legacy().port(), login, login + "-pw")) {
            legacy = hashes(c.fetchAll("INBOX"));
        }
        try (RawImapClient c =
                new RawImapClient(servers.target().host(), servers.target().port(), login, login + "-pw")) {
            target = hashes(c.fetchAll("INBOX"));
        }
        assertThat(target)
                .as("INBOX of %s on new", login)
                .hasSize(MESSAGES)
                .containsExactlyInAnyOrderElementsOf(legacy);
    }

    private static List<String> hashes(List<RawImapClient.Fetched> messages) {
        return messages.stream().map(m -> SyncFixture.sha256(m.body())).toList();
    }

    /** The legacy Dovecot's log of this JVM's servers. */
    private static Path legacyLog() throws IOException {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("target")
                .resolve("it-servers");
        try (var files = Files.walk(base, 3)) {
            return files.filter(p -> p.endsWith(Path.of("dovecot-legacy", "dovecot.log")))
                    // <pid>/dovecot-legacy, not <pid>-no-special-use/ or <pid>-oauth/ of other classes in this JVM
                    .filter(p -> p.getParent()
                            .getParent()
                            .getFileName()
                            .toString()
                            .equals(String.valueOf(ProcessHandle.current().pid())))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no legacy Dovecot log under " + base));
        }
    }

    private static final Pattern LOGIN = Pattern.compile("imap-login: Info: Login: user=<([^>]+)>.* session=<([^>]+)>");
    private static final Pattern LOGOUT = Pattern.compile("imap\\(([^)]+)\\)<\\d+><([^>]+)>: Info: Disconnected");

    /** The most sessions open at once, and the log lines around the first time there were that many. */
    private record Peak(int most, String context) {}

    /** The most sessions of {@code users} open at once, replaying the log's logins and disconnections in order. */
    private static Peak mostConcurrentLogins(Path log, long from, Set<String> users) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        Set<String> open = new HashSet<>();
        int most = 0;
        int at = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher in = LOGIN.matcher(line);
            if (in.find() && users.contains(in.group(1))) {
                open.add(in.group(2));
                if (open.size() > most) {
                    most = open.size();
                    at = i;
                }
                continue;
            }
            Matcher out = LOGOUT.matcher(line);
            if (out.find() && users.contains(out.group(1))) {
                open.remove(out.group(2));
            }
        }
        // Which sessions were open then, and whether a disconnection was logged just after (log order).
        StringBuilder context = new StringBuilder();
        for (int i = Math.max(0, at - 12); i < Math.min(lines.length, at + 6); i++) {
            context.append(i == at ? "> " : "  ").append(lines[i]).append('\n');
        }
        return new Peak(most, context.toString());
    }
}
