package io.mxcutover.appliance.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.cutover.FinalPass;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.plan.PlanHostPort;
import io.mxcutover.appliance.plan.PlanImapUrl;
import io.mxcutover.appliance.plan.Side;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import io.mxcutover.sync.engine.ForeignMailboxException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two domains on distinct servers, every server behind an {@link ImapLoginTap} that writes down the user
 * names it was given: {@code example.test} on the real Dovecot legacy/new pair, {@code b.test} on a GreenMail
 * pair. In continuous mode (passes and IDLE) and in the final pass, every server sees only its own domain's
 * mailboxes; a request for another domain's mailbox is refused before any connection.
 */
@ExtendWith(RealServers.class)
class SyncDomainsIT {
    static final String B = "b.test";

    @Test
    void everyServerShouldSeeOnlyOwnDomainsLoginsInContinuousModeAndFinalPass(TestServers servers, @TempDir Path dir)
            throws Exception {
        String a = servers.domain();
        String pid = Long.toString(ProcessHandle.current().pid());
        TestUser anna = pair(servers, "xdanna" + pid);
        TestUser arne = pair(servers, "xdarne" + pid);
        SyncManagedIT.appendTo(servers.legacyImap().host(), servers.legacyImap().port(), anna);
        SyncManagedIT.appendTo(servers.legacyImap().host(), servers.legacyImap().port(), arne);

        GreenMail legacyB = greenMail();
        GreenMail newB = greenMail();
        try (AutoCloseable stopB = () -> {
                    legacyB.stop();
                    newB.stop();
                };
                ImapLoginTap legacyTapA = new ImapLoginTap(
                        "legacy-a",
                        servers.legacyImap().host(),
                        servers.legacyImap().port());
                ImapLoginTap newTapA = new ImapLoginTap(
                        "new-a", servers.newImap().host(), servers.newImap().port());
                ImapLoginTap legacyTapB = new ImapLoginTap(
                        "legacy-b", "127.0.0.1", legacyB.getImap().getPort());
                ImapLoginTap newTapB =
                        new ImapLoginTap("new-b", "127.0.0.1", newB.getImap().getPort())) {
            for (GreenMail g : List.of(legacyB, newB)) {
                g.setUser("dora@" + B, "dora-b", "dora-pw");
                g.setUser("emil@" + B, "emil-b", "emil-pw");
            }
            deliver(legacyB, "dora@" + B);
            deliver(legacyB, "emil@" + B);

            MigrationPlan plan = new MigrationPlan(
                    dir.resolve("plan.yml"),
                    "x",
                    Duration.ofHours(48),
                    Duration.ofHours(1),
                    List.of(domain(a, legacyTapA, newTapA), domain(B, legacyTapB, newTapB)));
            SyncConfig config = new SyncConfig();
            config.keyFile = dir.resolve("sync.key").toString();
            config.tempDir = dir.resolve("tmp").toString();
            config.intervalSeconds = 1;
            // A fixed 1 s check (no adaptive stretch up to maxInterval): every mailbox passes again within seconds.
            config.maxIntervalSeconds = 1;
            config.idle = true;
            Store store = Store.open(dir.resolve("state.db"));
            SyncManaged sync = new SyncManaged(
                    config, () -> plan, store.dataSource(), d -> CutoverPhase.RELAYING, Clock.systemUTC());
            Set<String> usersA = Set.of(anna.login(), arne.login());
            Set<String> usersB = Set.of("dora-b", "emil-b");
            Map<ImapLoginTap, Set<String>> taps =
                    Map.of(legacyTapA, usersA, newTapA, usersA, legacyTapB, usersB, newTapB, usersB);
            try {
                sync.importCsv(new StringReader(anna.login() + ":" + anna.password() + ":" + anna.address() + "\n"
                        + arne.login() + ":" + arne.password() + ":" + arne.address() + "\n"
                        + "dora-b:dora-pw:dora@" + B + "\nemil-b:emil-pw:emil@" + B + "\n"));

                // Passes finished per domain's service and mailbox. A second pass of a mailbox means the first
                // pass over the whole scope is over (a pass waits for all its mailboxes), including whatever the
                // service would try for the other domain.
                Map<String, AtomicInteger> passes = new ConcurrentHashMap<>();
                for (String d : List.of(a, B)) {
                    sync.service(d)
                            .orElseThrow()
                            .onMailboxSynced(
                                    r -> passes.computeIfAbsent(d + " " + r.address(), k -> new AtomicInteger())
                                            .incrementAndGet());
                }
                List<String> own =
                        List.of(a + " " + anna.address(), a + " " + arne.address(), B + " dora@" + B, B + " emil@" + B);
                sync.start();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> own.stream()
                                .allMatch(k -> passes.getOrDefault(k, new AtomicInteger())
                                                .get()
                                        >= 2));
                assertOnlyOwnLogins(taps, "continuous sync");
                assertThat(newTapA.logins())
                        .as("example.test's mail copied to its new server")
                        .containsAll(usersA);
                assertThat(newTapB.logins())
                        .as("b.test's mail copied to its new server")
                        .containsAll(usersB);
                // The final pass runs while the sync runs (as at a cutover): with leases, a stopped node claims
                // nothing.
                taps.keySet().forEach(ImapLoginTap::clear);
                List<FinalPass> finalA = sync.finalPass(a);
                List<FinalPass> finalB = sync.finalPass(B);
                assertThat(finalA)
                        .extracting(FinalPass::mailbox)
                        .containsExactlyInAnyOrder(anna.address(), arne.address());
                assertThat(finalB).extracting(FinalPass::mailbox).containsExactlyInAnyOrder("dora@" + B, "emil@" + B);
                // Nothing new to copy: the final pass checks legacy (STATUS) and leaves the new servers alone.
                assertThat(legacyTapA.logins()).containsAll(usersA);
                assertThat(legacyTapB.logins()).containsAll(usersB);
                assertOnlyOwnLogins(taps, "final pass");
            } finally {
                sync.stop();
            }

            // Defence in depth: the service of example.test asked directly for b.test's mailbox.
            taps.keySet().forEach(ImapLoginTap::clear);
            assertThatThrownBy(() -> sync.service(a).orElseThrow().syncOnce("dora@" + B))
                    .isInstanceOf(ForeignMailboxException.class);
            assertThatThrownBy(() -> sync.service(a).orElseThrow().verify("dora@" + B))
                    .isInstanceOf(ForeignMailboxException.class);
            assertThat(sync.service(a).orElseThrow().syncAll(address -> true))
                    .extracting(r -> r.address())
                    .containsExactlyInAnyOrder(anna.address(), arne.address());
            assertOnlyOwnLogins(taps, "a direct request for another domain's mailbox");
            sync.stop();
        }
    }

    private static void assertOnlyOwnLogins(Map<ImapLoginTap, Set<String>> own, String when) {
        own.forEach((tap, users) -> assertThat(tap.logins())
                .as("user names presented to %s during %s (session: %s)", tap, when, tap.transcript())
                .allSatisfy(u -> assertThat(users).contains(u)));
    }

    private static TestUser pair(TestServers servers, String login) {
        TestUser user = servers.legacyImap().createUser(login, login + "-pw");
        servers.newImap().createUser(login, login + "-pw");
        return user;
    }

    private static DomainPlan domain(String name, ImapLoginTap legacy, ImapLoginTap fresh) {
        Side l = new Side(
                List.of(new PlanHostPort("127.0.0.1", 25)),
                Optional.of(new PlanImapUrl("127.0.0.1", legacy.port(), false)),
                List.of());
        Side n = new Side(
                List.of(new PlanHostPort("127.0.0.1", 25)),
                Optional.of(new PlanImapUrl("127.0.0.1", fresh.port(), false)),
                List.of());
        return new DomainPlan(name, false, true, l, n, List.of());
    }

    private static GreenMail greenMail() {
        GreenMail g = new GreenMail(
                new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort()});
        g.start();
        return g;
    }

    private static void deliver(GreenMail server, String to) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress("sender@example.net"));
        m.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
        m.setSubject("for " + to);
        m.setText("hello " + to);
        m.setHeader("Message-ID", "<" + to.replace('@', '.') + "@domains.it>");
        server.getUserManager().getUserByEmail(to).deliver(m);
    }
}
