package io.mxcutover.appliance.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.facts.MailboxLogin;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.store.Store;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync as the post-cutover probes' credential source: imported new-server passwords, per domain. */
class SyncManagedTest {

    @Test
    void newServerLoginsShouldListImportedPasswordsWhenMailboxesOfDomainImported(@TempDir Path dir) throws Exception {
        SyncManaged sync = sync(dir);
        sync.importCsv(new StringReader("""
                address,legacy_login,legacy_password,new_login,new_password,new_auth
                anna@example.test,anna-old,old-pw,anna,new-pw,password
                ben@example.test,ben-old,old-pw,ben,,password
                carl@example.test,carl-old,old-pw,carl,token-123,xoauth2
                dora@other.test,dora-old,old-pw,dora,dora-pw,password
                """));

        List<MailboxLogin> logins = sync.newServerLogins("EXAMPLE.test");

        assertThat(logins).containsExactly(new MailboxLogin("anna@example.test", "anna", "new-pw"));
        assertThat(sync.newServerLogins("other.test"))
                .extracting(MailboxLogin::password)
                .containsExactly("dora-pw");
        assertThat(sync.newServerLogins("unknown.test")).isEmpty();
    }

    @Test
    void newServerLoginsShouldLeaveMailboxOutWhenKeyChangedSinceImport(@TempDir Path dir) throws Exception {
        sync(dir).importCsv(new StringReader("anna:new-pw:anna@example.test\n"));
        // Another appliance's key in its place (a missing key is refused at start: CredentialKeyTest).
        java.nio.file.Path other = dir.resolve("other.key");
        io.mxcutover.sync.credential.SecretBox.fromKeyFile(other);
        java.nio.file.Files.move(other, dir.resolve("sync.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(sync(dir).newServerLogins("example.test")).isEmpty();
    }

    @Test
    void importShouldRefuseWholeListWhenMailboxOutsidePlanDomains(@TempDir Path dir) throws Exception {
        SyncManaged sync = sync(dir);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        sync.importCsv(new StringReader("anna:pw:anna@example.test\nzoe:pw:zoe@elsewhere.test\n")))
                .isInstanceOf(io.mxcutover.sync.mailbox.InvalidMailboxList.class)
                .hasMessageContaining("line 2: mailbox zoe@elsewhere.test is not in a domain of the plan");
        assertThat(sync.report().mailboxes()).isEmpty();
    }

    /** legacy servers of the two domains | master user | expected problem ("" none). */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} master {1}")
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "old.example:143,old.example:143 | admin | ''",
                "old-a.example:143,old-b.example:143 | ''    | ''",
                "old-a.example:143,old-b.example:143 | admin | sync.legacyMasterUser is set, but the plan's domains have 2 different legacy IMAP servers",
                "old.example:143,old.example:993 | admin | 2 different legacy IMAP servers [old.example:143, old.example:993]",
            })
    void masterUserShouldBeRefusedWhenItWouldReachSeveralServers(
            String servers, String master, String expected, @TempDir Path dir) throws Exception {
        String[] s = servers.split(",");
        List<io.mxcutover.appliance.plan.DomainPlan> domains = new java.util.ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            String[] hp = s[i].split(":");
            io.mxcutover.appliance.plan.Side legacy = new io.mxcutover.appliance.plan.Side(
                    List.of(new io.mxcutover.appliance.plan.PlanHostPort("127.0.0.1", 25)),
                    java.util.Optional.of(
                            new io.mxcutover.appliance.plan.PlanImapUrl(hp[0], Integer.parseInt(hp[1]), false)),
                    List.of());
            io.mxcutover.appliance.plan.Side fresh = new io.mxcutover.appliance.plan.Side(
                    List.of(new io.mxcutover.appliance.plan.PlanHostPort("127.0.0.1", 25)),
                    java.util.Optional.of(new io.mxcutover.appliance.plan.PlanImapUrl("new.example", 993, true)),
                    List.of());
            domains.add(new io.mxcutover.appliance.plan.DomainPlan(
                    "d" + i + ".test", false, true, legacy, fresh, List.of()));
        }
        MigrationPlan plan =
                new MigrationPlan(dir.resolve("plan.yml"), "x", Duration.ofHours(48), Duration.ofHours(1), domains);
        SyncConfig config = new SyncConfig();
        config.keyFile = dir.resolve("sync.key").toString();
        config.enabled = false;
        config.legacyMasterUser = master.isEmpty() ? null : master;
        config.legacyMasterPassword = "master-secret";
        config.newMasterUser = master.isEmpty() ? null : master;
        config.newMasterPassword = "master-secret";

        List<String> problems = SyncManaged.masterUserProblems(config, plan);
        SyncManaged sync = new SyncManaged(
                config,
                () -> plan,
                Store.open(dir.resolve("state.db")).dataSource(),
                d -> CutoverPhase.RELAYING,
                Clock.systemUTC());

        if (expected.isEmpty()) {
            assertThat(problems).isEmpty();
            assertThat(sync.service("d0.test")).isPresent();
        } else {
            assertThat(problems).singleElement().asString().contains(expected).doesNotContain("master-secret");
            assertThat(sync.service("d0.test"))
                    .as("no service: the master password is not sent anywhere")
                    .isEmpty();
        }
        sync.stop();
    }

    /**
     * The inventory thread and start() ask for a domain's service at the same moment; a second service made for
     * the domain ran a continuous sync that stop() did not reach (found by SyncDomainsIT in CI: the orphan kept
     * reading a deleted state file after the test).
     */
    @Test
    void serviceShouldBeMadeOnceWhenManyThreadsAskForItAtOnce(@TempDir Path dir) throws Exception {
        io.mxcutover.appliance.plan.Side imap = new io.mxcutover.appliance.plan.Side(
                List.of(new io.mxcutover.appliance.plan.PlanHostPort("127.0.0.1", 25)),
                java.util.Optional.of(new io.mxcutover.appliance.plan.PlanImapUrl("127.0.0.1", 1, false)),
                List.of());
        MigrationPlan plan = new MigrationPlan(
                dir.resolve("plan.yml"),
                "x",
                Duration.ofHours(48),
                Duration.ofHours(1),
                List.of(new io.mxcutover.appliance.plan.DomainPlan(
                        "example.test", false, true, imap, imap, List.of())));
        SyncConfig config = new SyncConfig();
        config.keyFile = dir.resolve("sync.key").toString();
        config.tempDir = dir.resolve("tmp").toString();
        config.enabled = false;
        SyncManaged sync = new SyncManaged(
                config,
                () -> plan,
                Store.open(dir.resolve("state.db")).dataSource(),
                d -> CutoverPhase.RELAYING,
                Clock.systemUTC());
        int threads = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                sync.stop();
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(threads);
                List<java.util.concurrent.Future<io.mxcutover.sync.run.SyncService>> asked =
                        new java.util.ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    asked.add(pool.submit(() -> {
                        together.await();
                        return sync.service("example.test").orElseThrow();
                    }));
                }
                java.util.Set<io.mxcutover.sync.run.SyncService> made =
                        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                for (var f : asked) {
                    made.add(f.get());
                }
                assertThat(made)
                        .as("services made for example.test in round %d", round)
                        .hasSize(1);
            }
        } finally {
            pool.shutdownNow();
            sync.stop();
        }
    }

    private static SyncManaged sync(Path dir) throws Exception {
        SyncConfig config = new SyncConfig();
        config.keyFile = dir.resolve("sync.key").toString();
        config.tempDir = dir.resolve("tmp").toString();
        config.enabled = false;
        io.mxcutover.appliance.plan.Side noImap = new io.mxcutover.appliance.plan.Side(
                List.of(new io.mxcutover.appliance.plan.PlanHostPort("127.0.0.1", 25)),
                java.util.Optional.empty(),
                List.of());
        MigrationPlan plan = new MigrationPlan(
                dir.resolve("plan.yml"),
                "x",
                Duration.ofHours(48),
                Duration.ofHours(1),
                List.of(
                        new io.mxcutover.appliance.plan.DomainPlan(
                                "example.test", false, true, noImap, noImap, List.of()),
                        new io.mxcutover.appliance.plan.DomainPlan(
                                "other.test", false, true, noImap, noImap, List.of())));
        return new SyncManaged(
                config,
                () -> plan,
                Store.open(dir.resolve("state.db")).dataSource(),
                d -> CutoverPhase.RELAYING,
                Clock.systemUTC());
    }
}
