package io.mxcutover.appliance.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mxcutover.appliance.e2e.ApplianceNodes.Node;
import io.mxcutover.it.PostgresServer;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The long version of {@link ClusterEndToEndIT}'s kill (issue 16), outside the suite (its name is not *IT): three
 * nodes on one PostgreSQL database copy {@code mailboxes} mailboxes of {@code messages} messages; {@code kills}
 * times, a node (a, b, c in turn) is killed with SIGKILL while it holds the lease of a mailbox it has not finished,
 * and started again at once. At the end every message is on new once, byte-exact, and new never held more messages
 * than legacy in any mailbox.
 *
 * <pre>
 * mvn -B -o -pl appliance -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ClusterKillCampaign -Dcampaign.kills=6 -Dcampaign.mailboxes=60 verify
 * </pre>
 */
@ExtendWith(RealServers.class)
class ClusterKillCampaign {
    static final int LEASE_SECONDS = 5;

    @Test
    void nodesKilledWhileCopyingShouldLeaveEveryMessageOnNewOnce(TestServers servers) throws Exception {
        int kills = Integer.getInteger("campaign.kills", 4);
        int mailboxes = Integer.getInteger("campaign.mailboxes", 40);
        int messages = Integer.getInteger("campaign.messages", 40);
        String suffix = Long.toString(ProcessHandle.current().pid(), 36);
        ClusterMail mail = new ClusterMail(servers);
        List<TestUser> users = mail.users("ck" + suffix + "x", mailboxes);
        for (TestUser u : users) {
            mail.seed(u, messages - messages / 4, messages / 4);
        }
        String plan =
                """
                domains:
                  - name: example.test
                    legacy: { smtp: [ "127.0.0.1:1" ], imap: "imap://127.0.0.1:%d" }
                    new: { smtp: [ "127.0.0.1:2" ], imap: "imap://127.0.0.1:%d", mx: [ mx.new.test ] }
                """.formatted(servers.legacyImap().port(), servers.newImap().port());
        PostgresServer pg = PostgresServer.shared();
        Path dir = Path.of(System.getProperty("basedir", "."))
                .toAbsolutePath()
                .resolve("target/cluster-kill/" + ProcessHandle.current().pid());
        Map<String, String> settings = Map.of(
                "sync.leaseSeconds", Integer.toString(LEASE_SECONDS),
                "sync.parallelMailboxes", "3",
                "sync.intervalSeconds", "5",
                "cluster.heartbeatSeconds", "1");
        Set<String> addresses = ClusterMail.addresses(users);
        long t0 = System.nanoTime();
        try (ApplianceNodes nodes = ApplianceNodes.onPostgres(dir, plan, pg.newDatabase("cluster_kill"), pg);
                ClusterStoreView store = new ClusterStoreView(nodes)) {
            nodes.start(List.of("a", "b", "c"), settings);
            List<String> killed = new ArrayList<>();
            try (ClusterMail.Sampler sampler = mail.sample(users)) {
                ClusterMail.importMailboxes(nodes.node("a"), users);
                for (int k = 0; k < kills; k++) {
                    Node victim = nodes.node(List.of("a", "b", "c").get(k % 3));
                    boolean midCopy = await(victim.id + " holds the lease of an unfinished mailbox")
                            .atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofMillis(50))
                            .until(
                                    () -> store.leasesOf(victim.id, System.currentTimeMillis()).keySet().stream()
                                                    .anyMatch(m -> mail.onNew(ClusterMail.login(m))
                                                            < mail.legacyCount(ClusterMail.login(m)))
                                            || store.synced(addresses) == addresses.size(),
                                    held -> held);
                    if (store.synced(addresses) == addresses.size()) {
                        System.out.println("CLUSTER-KILL everything copied before kill " + (k + 1) + " of " + kills
                                + (midCopy ? "" : " (no lease held)"));
                        break;
                    }
                    Map<String, Long> held = store.leasesOf(victim.id, System.currentTimeMillis());
                    victim.kill();
                    killed.add(victim.id + " holding " + held.keySet() + " at " + mail.onNew(users) + "/"
                            + mail.legacyCount(users));
                    nodes.start(victim.id, settings);
                }
                await("every mailbox copied")
                        .atMost(Duration.ofSeconds(600))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> store.synced(addresses) == addresses.size()
                                && mail.onNew(users) == mail.legacyCount(users));
                assertThat(sampler.above)
                        .as("mailboxes seen with more messages on new than on legacy")
                        .isEmpty();
                mail.assertByteExact(users);
                System.out.printf(
                        "CLUSTER-KILL mailboxes=%d messages=%d kills=%d %s; on new %d, duplicated 0, lost 0;"
                                + " max connections legacy %d new %d; %d s%n",
                        mailboxes,
                        mail.legacyCount(users),
                        killed.size(),
                        killed,
                        mail.onNew(users),
                        sampler.maxLegacy.get(),
                        sampler.maxNew.get(),
                        (System.nanoTime() - t0) / 1_000_000_000);
            }
        }
    }
}
